package io.railrush.app.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;

/**
 * A flash sale over HTTP: {@code users} distinct users × {@code attempts} grabs each, shuffled,
 * fired by {@code threads} client threads that start together at a latch, spread over the given
 * nodes; then the audit from the database, and the grab guarantees (no oversell, one active order
 * per user per run, every 202 exactly one order) checked against it.
 */
public final class FlashSale {

  private final List<Api> nodes;
  private final String secret;
  private final String runId;
  private final String userPrefix;

  /** Every 202's order number, with the user it was given to. */
  public final Map<String, String> accepted = new ConcurrentHashMap<>();

  /** Answers by status and code, e.g. {@code 409 SOLD_OUT}. */
  public final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();

  public final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
  private final AtomicLong requests = new AtomicLong();
  private volatile boolean readEveryLocation;

  public FlashSale(List<Api> nodes, String secret, String runId, String userPrefix) {
    this.nodes = nodes;
    this.secret = secret;
    this.runId = runId;
    this.userPrefix = userPrefix;
  }

  /**
   * After each 202, GET its {@code Location} at once, from another node when there are several: a
   * 404 (or any answer but 200) is a problem.
   */
  public FlashSale readingEveryLocation() {
    readEveryLocation = true;
    return this;
  }

  public long requests() {
    return requests.get();
  }

  /**
   * Runs the sale; {@code midway} (may be null) runs once, from another thread, after {@code
   * midwayAfter} requests.
   */
  public FlashSale run(int users, int attempts, int threads, long midwayAfter, Runnable midway)
      throws Exception {
    List<Integer> plan = new ArrayList<>(users * attempts);
    for (int a = 0; a < attempts; a++) {
      for (int u = 0; u < users; u++) {
        plan.add(u);
      }
    }
    Collections.shuffle(plan, new Random(42));
    String[] tokens = new String[users];
    for (int u = 0; u < users; u++) {
      tokens[u] = TestTokens.valid(secret, userPrefix + u);
    }
    AtomicInteger next = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch midwayDone = new CountDownLatch(midway == null ? 0 : 1);
    try (ExecutorService pool = Executors.newFixedThreadPool(threads + 1)) {
      if (midway != null) {
        pool.submit(
            () -> {
              start.await();
              while (requests.get() < midwayAfter && next.get() < plan.size()) {
                Thread.sleep(5);
              }
              try {
                midway.run();
              } finally {
                midwayDone.countDown();
              }
              return null;
            });
      }
      List<Future<?>> clients = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Api api = nodes.get(t % nodes.size());
        clients.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i; (i = next.getAndIncrement()) < plan.size(); ) {
                    int user = plan.get(i);
                    grab(api, userPrefix + user, tokens[user]);
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> client : clients) {
        client.get(5, TimeUnit.MINUTES);
      }
      assertThat(midwayDone.await(2, TimeUnit.MINUTES)).isTrue();
    }
    return this;
  }

  /** One grab; a transport failure (a node or broker going away) is counted, not thrown. */
  public void grab(Api api, String user, String token) {
    requests.incrementAndGet();
    Api.Reply reply;
    try {
      reply =
          api.send(
              HttpRequest.newBuilder(URI.create(api.uri("/api/v1/runs/" + runId + "/grabs")))
                  .header("Authorization", "Bearer " + token)
                  .POST(HttpRequest.BodyPublishers.noBody()));
    } catch (RuntimeException transport) {
      answers.computeIfAbsent("transport", k -> new AtomicInteger()).incrementAndGet();
      return;
    }
    String key = reply.status() + (reply.status() == 202 ? "" : " " + reply.code());
    answers.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    if (reply.status() == 202) {
      String orderNo = reply.json().path("orderNo").asString();
      if (accepted.put(orderNo, user) != null) {
        problems.add("order number given twice: " + orderNo);
      }
      if (!reply
          .raw()
          .headers()
          .firstValue("Location")
          .orElse("")
          .equals("/api/v1/orders/" + orderNo)) {
        problems.add("202 without its Location: " + reply.raw().headers().map());
      }
      if (readEveryLocation) {
        Api reader = nodes.get((nodes.indexOf(api) + 1) % nodes.size());
        Api.Reply order = reader.get("/api/v1/orders/" + orderNo, token);
        // a 503 BUSY is the contract's "a backend was too slow, ask again", never "no such
        // order": asked again (at most 3 times), it must become a 200; a 404 never may
        for (int again = 0; again < 3 && order.status() == 503; again++) {
          sleepQuietly(200);
          order = reader.get("/api/v1/orders/" + orderNo, token);
        }
        if (order.status() != 200) {
          problems.add("GET of 202'd " + orderNo + " answered " + order.status());
        }
      }
    } else if (reply.status() == 429 || reply.status() == 503) {
      if (reply.raw().headers().firstValue("Retry-After").isEmpty()) {
        problems.add(reply.status() + " without Retry-After");
      }
    } else if (reply.status() != 409) {
      problems.add("unexpected " + reply.status() + " " + reply.body());
    }
  }

  /** Waits until every 202 has become a written order, then returns the audit. */
  public JsonNode awaitSettled(Api api, Duration atMost) {
    Awaitility.await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> written(audit(api)) >= accepted.size());
    return audit(api);
  }

  public JsonNode audit(Api api) {
    return api.get("/api/v1/admin/runs/" + runId + "/audit", Api.ADMIN_TOKEN).json();
  }

  private static long written(JsonNode audit) {
    JsonNode byStatus = audit.path("ordersByStatus");
    return byStatus.path("CREATED").asLong()
        + byStatus.path("PAID").asLong()
        + byStatus.path("CANCELLED").asLong()
        + byStatus.path("FAILED").asLong();
  }

  /**
   * The grab guarantees, checked against the database: active orders never exceed the seats and
   * equal {@code sold}; no user holds two; every 202 ended in exactly one order (the database holds
   * every accepted order number, once; any other row is a grab whose publish was not confirmed,
   * answered 503 and written FAILED).
   *
   * @param written order number → status of every order of the run in the database
   */
  public void assertInvariants(JsonNode audit, Map<String, String> written, int seats) {
    assertThat(problems).as("protocol problems").isEmpty();
    long active =
        audit.path("ordersByStatus").path("CREATED").asLong()
            + audit.path("ordersByStatus").path("PAID").asLong();
    assertThat(active)
        .as("active orders (no oversell), audit %s", audit)
        .isLessThanOrEqualTo(seats);
    assertThat(audit.path("sold").asLong()).as("sold = active orders").isEqualTo(active);
    assertThat(audit.path("usersWithMoreThanOneActiveOrder").asLong()).isZero();
    assertThat(written.keySet())
        .as("every 202 ends in exactly one order")
        .containsAll(accepted.keySet());
    written.forEach(
        (orderNo, status) -> {
          if (!accepted.containsKey(orderNo)) {
            assertThat(status).as("order %s was never answered 202", orderNo).isEqualTo("FAILED");
          }
        });
  }

  @Override
  public String toString() {
    return requests
        + " requests: "
        + new java.util.TreeMap<>(answers)
        + "; accepted "
        + accepted.size();
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
