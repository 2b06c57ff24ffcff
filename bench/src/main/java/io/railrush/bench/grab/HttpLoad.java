package io.railrush.bench.grab;

import io.railrush.bench.KeepAliveConnection;
import io.railrush.bench.LatencyRecorder;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop HTTP load: {@code clients} threads, each sending its next request as soon as the
 * previous one is answered, for a fixed time. Answers are counted by status and problem code, in
 * all and per second.
 */
final class HttpLoad {

  /** What one phase measured. */
  record Result(
      long requests,
      double seconds,
      Map<String, Long> answers,
      Map<String, long[]> answersPerSecond,
      Histogram latency,
      long firstSoldOutMillis,
      long requestsAfterSoldOut) {

    double perSecond() {
      return requests / seconds;
    }

    /**
     * Requests/s from the first SOLD_OUT to the end: the refusal path alone (NaN if never sold
     * out).
     */
    double perSecondAfterSoldOut() {
      double after = seconds - firstSoldOutMillis / 1000.0;
      return firstSoldOutMillis < 0 || after < 0.5 ? Double.NaN : requestsAfterSoldOut / after;
    }

    long count(String answer) {
      return answers.getOrDefault(answer, 0L);
    }
  }

  /** One request: method, path, bearer token (or null). */
  record Call(String method, String path, String token) {}

  private final int port;

  HttpLoad(int port) {
    this.port = port;
  }

  Result run(int clients, Duration duration, LongFunction<Call> request)
      throws InterruptedException {
    AtomicLong sequence = new AtomicLong();
    Map<String, LongAdder> answers = new ConcurrentHashMap<>();
    LatencyRecorder latency = new LatencyRecorder();
    AtomicLong firstSoldOut = new AtomicLong(-1);
    LongAdder afterSoldOut = new LongAdder();
    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(clients);
    long[] window = new long[2];
    int slots = (int) duration.toSeconds() + 2;
    Map<String, AtomicLongArray> perSecond = new ConcurrentHashMap<>();
    for (int c = 0; c < clients; c++) {
      Thread.ofVirtual()
          .start(
              () -> {
                try (KeepAliveConnection connection = new KeepAliveConnection("127.0.0.1", port)) {
                  start.await();
                  long deadline = window[1];
                  while (System.nanoTime() < deadline) {
                    long began = System.nanoTime();
                    String answer;
                    try {
                      Call call = request.apply(sequence.getAndIncrement());
                      answer = answerOf(connection.send(call.method(), call.path(), call.token()));
                    } catch (java.io.IOException e) {
                      answer = "transport error";
                    }
                    latency.record(began);
                    answers.computeIfAbsent(answer, k -> new LongAdder()).increment();
                    int second = (int) ((System.nanoTime() - window[0]) / 1_000_000_000L);
                    perSecond
                        .computeIfAbsent(answer, k -> new AtomicLongArray(slots))
                        .incrementAndGet(Math.min(second, slots - 1));
                    if (firstSoldOut.get() >= 0) {
                      afterSoldOut.increment();
                    }
                    if (answer.equals("409 SOLD_OUT") && firstSoldOut.get() < 0) {
                      firstSoldOut.compareAndSet(-1, (System.nanoTime() - window[0]) / 1_000_000);
                    }
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } finally {
                  done.countDown();
                }
              });
    }
    window[0] = System.nanoTime();
    window[1] = window[0] + duration.toNanos();
    start.countDown();
    done.await();
    double seconds = (System.nanoTime() - window[0]) / 1e9;
    Map<String, Long> counted = new TreeMap<>();
    answers.forEach((k, v) -> counted.put(k, v.sum()));
    long requests = counted.values().stream().mapToLong(Long::longValue).sum();
    Map<String, long[]> timeline = new TreeMap<>();
    perSecond.forEach(
        (answer, counts) -> {
          // whole seconds only: the last slot holds the few ms the phase ran past its end
          long[] copy = new long[(int) Math.max(1, Math.round(seconds))];
          for (int i = 0; i < copy.length && i < counts.length(); i++) {
            copy[i] = counts.get(i);
          }
          timeline.put(answer, copy);
        });
    return new Result(
        requests,
        seconds,
        counted,
        timeline,
        latency.interval(),
        firstSoldOut.get(),
        afterSoldOut.sum());
  }

  /**
   * {@code 202}, {@code 409 SOLD_OUT}, {@code 429 RATE_LIMITED}…: the status and the problem's
   * code.
   */
  private static String answerOf(KeepAliveConnection.Answer response) {
    int status = response.status();
    if (status < 300) {
      return Integer.toString(status);
    }
    String body = response.body();
    int at = body.indexOf("\"code\":\"");
    if (at < 0) {
      return Integer.toString(status);
    }
    int from = at + 8;
    return status + " " + body.substring(from, body.indexOf('"', from));
  }
}
