package io.railrush.bench.payment;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A payment provider that behaves like a real one, in the simulator's format (JSON signed with
 * HMAC-SHA256 in {@code X-Sim-Signature}): it calls back with a deadline of 1 s per call and calls
 * again after 1 s, 2 s, 5 s and 10 s until it is answered {@code SUCCESS} (five calls at most); it
 * can send the same notification to several servers at the same instant; it answers trade-state
 * queries ({@code GET <queryUrl>/<outTradeNo>}); a trade paid without any callback is a lost
 * notification. JDK only, so tests can use it without the bench's dependencies.
 */
public final class PaymentProviderSimulator implements AutoCloseable {

  /** Waits between calls of one notification; the first call goes at once. */
  public static final List<Duration> RETRY_AFTER =
      List.of(
          Duration.ofSeconds(1),
          Duration.ofSeconds(2),
          Duration.ofSeconds(5),
          Duration.ofSeconds(10));

  /** How long the provider waits for an answer before it counts a call as failed. */
  public static final Duration DEADLINE = Duration.ofSeconds(1);

  /** One notification, as the simulator sends it. */
  public record Notification(
      String notifyId,
      String outTradeNo,
      String transactionId,
      long amountCents,
      String status,
      String timestamp) {

    public String body() {
      return "{\"notifyId\":\""
          + notifyId
          + "\",\"outTradeNo\":\""
          + outTradeNo
          + "\",\"transactionId\":"
          + (transactionId == null ? "null" : "\"" + transactionId + "\"")
          + ",\"amountCents\":"
          + amountCents
          + ",\"status\":\""
          + status
          + "\",\"timestamp\":\""
          + timestamp
          + "\"}";
    }

    /** The same notification with another amount (a tampered or buggy one). */
    public Notification withAmount(long cents) {
      return new Notification(notifyId, outTradeNo, transactionId, cents, status, timestamp);
    }
  }

  /** What delivering one notification took: the calls made and whether one was answered SUCCESS. */
  public record Delivery(int calls, boolean acknowledged, List<Integer> statuses) {}

  private final byte[] secret;
  private final HttpClient http;
  private final HttpServer queries;
  private final Map<String, Notification> trades = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();

  public PaymentProviderSimulator(String secret) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(DEADLINE)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    try {
      this.queries = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    queries.createContext(
        "/trades/",
        exchange -> {
          String outTradeNo = exchange.getRequestURI().getPath().substring("/trades/".length());
          Notification trade = trades.get(outTradeNo);
          if (trade == null) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
          }
          Notification answer =
              new Notification(
                  "query-" + outTradeNo + "-" + sequence.incrementAndGet(),
                  trade.outTradeNo(),
                  trade.transactionId(),
                  trade.amountCents(),
                  trade.status(),
                  now());
          byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.getResponseHeaders().add("X-Sim-Signature", sign(body));
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    queries.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    queries.start();
  }

  /** Where the app asks for a trade's state ({@code railrush.payment.sim.query-url}). */
  public String queryUrl() {
    return "http://127.0.0.1:" + queries.getAddress().getPort() + "/trades";
  }

  /** The buyer paid {@code outTradeNo}: the trade is SUCCESS here, and this is its notification. */
  public Notification pay(String outTradeNo, long amountCents) {
    return remember(
        outTradeNo, "T" + UUID.randomUUID().toString().replace("-", ""), amountCents, "SUCCESS");
  }

  private Notification remember(
      String outTradeNo, String transactionId, long amountCents, String status) {
    Notification n =
        new Notification(
            "N" + UUID.randomUUID().toString().replace("-", ""),
            outTradeNo,
            transactionId,
            amountCents,
            status,
            now());
    trades.put(outTradeNo, n);
    return n;
  }

  /** Lower-case hex HMAC-SHA256 of {@code body}, as {@code X-Sim-Signature} carries it. */
  public String sign(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One call; the HTTP status, or -1 when no answer came within the deadline. */
  public int send(URI notifyUrl, Notification n) {
    byte[] body = n.body().getBytes(StandardCharsets.UTF_8);
    return send(notifyUrl, body, sign(body));
  }

  /** One call with the given body and signature (tests tamper with either). */
  public int send(URI notifyUrl, byte[] body, String signature) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(notifyUrl)
            .timeout(DEADLINE)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (signature != null) {
      request.header("X-Sim-Signature", signature);
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains("\"SUCCESS\"")
          ? 200
          : response.statusCode() == 200 ? 502 : response.statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * Delivers as a provider does: at once, then after each of {@link #RETRY_AFTER} until a call is
   * answered SUCCESS within the deadline; five calls at most. Blocks until done.
   */
  public Delivery deliver(URI notifyUrl, Notification n) {
    List<Integer> statuses = new ArrayList<>();
    for (int call = 0; call <= RETRY_AFTER.size(); call++) {
      if (call > 0) {
        sleep(RETRY_AFTER.get(call - 1));
      }
      int status = send(notifyUrl, n);
      statuses.add(status);
      if (status == 200) {
        return new Delivery(call + 1, true, statuses);
      }
    }
    return new Delivery(statuses.size(), false, statuses);
  }

  /**
   * A buggy provider: the same notification {@code copiesEach} times to each server, every call
   * released at the same instant. Returns each call's status.
   */
  public List<Integer> sendAtOnce(List<URI> notifyUrls, Notification n, int copiesEach) {
    int calls = notifyUrls.size() * copiesEach;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>(calls);
    int[] statuses = new int[calls];
    for (int i = 0; i < calls; i++) {
      int call = i;
      URI target = notifyUrls.get(i % notifyUrls.size());
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      start.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    statuses[call] = send(target, n);
                  }));
    }
    start.countDown();
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<Integer> result = new ArrayList<>(calls);
    for (int status : statuses) {
      result.add(status);
    }
    return result;
  }

  private static String now() {
    return OffsetDateTime.now(ZoneOffset.ofHours(8)).truncatedTo(ChronoUnit.MILLIS).toString();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    queries.stop(0);
    http.close();
  }
}
