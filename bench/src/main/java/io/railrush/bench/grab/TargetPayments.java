package io.railrush.bench.grab;

import io.railrush.bench.UserTokens;
import io.railrush.bench.payment.PaymentProviderSimulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Payments through a running cluster while a chaos action hits it: {@code count} buyers each hold a
 * CREATED order of their own run and a payment for it before the sale; during the sale the provider
 * simulator notifies each payment twice at the same instant and then as a provider does (again
 * after 1 s, 2 s, 5 s, 10 s until answered, for as long as two minutes), and once more as a late
 * duplicate. Afterwards: every order PAID, none of the payments waiting for review or a refund, and
 * the promotions' audit consistent (one draw per paid order, none without one).
 */
final class TargetPayments {

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final Duration DELIVER_FOR = Duration.ofMinutes(2);

  record Paying(String orderNo, String outTradeNo, long amountCents) {}

  /** What the audit found; {@code ok} when every check held. */
  record Audit(boolean ok, String text) {}

  private final String base;
  private final String userSecret;
  private final String adminToken;
  private final PaymentProviderSimulator provider;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicLong notificationsSent = new AtomicLong();
  private final Set<String> unacknowledged = ConcurrentHashMap.newKeySet();

  TargetPayments(String base, String userSecret, String simSecret, String adminToken) {
    this.base = base;
    this.userSecret = userSecret;
    this.adminToken = adminToken;
    this.provider = new PaymentProviderSimulator(simSecret);
  }

  /** One CREATED order and a payment for it per buyer, on {@code runId}. */
  List<Paying> prepare(String runId, int count) throws Exception {
    String prefix = "payer-" + Long.toString(System.currentTimeMillis(), 36) + "-";
    try (ExecutorService buyers = Executors.newFixedThreadPool(16)) {
      List<Future<Paying>> paying = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String token = UserTokens.signed(userSecret, prefix + i);
        paying.add(buyers.submit(() -> buyOne(runId, token)));
      }
      List<Paying> all = new ArrayList<>();
      for (Future<Paying> p : paying) {
        all.add(p.get());
      }
      return all;
    }
  }

  private Paying buyOne(String runId, String token) throws Exception {
    String orderNo = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (orderNo == null) {
      HttpResponse<String> grab = call("POST", "/api/v1/runs/" + runId + "/grabs", token, null);
      JsonNode body = JSON.readTree(grab.body());
      if (grab.statusCode() == 202) {
        orderNo = body.path("orderNo").asString();
      } else if ("ALREADY_HOLDING".equals(body.path("code").asString())) {
        orderNo = body.path("orderNo").asString();
      } else if (System.nanoTime() > deadline) {
        throw new IllegalStateException("a payer could not grab: " + grab.body());
      } else {
        Thread.sleep(1_000); // 429 or 503: as a client would
      }
    }
    while (true) {
      HttpResponse<String> order = call("GET", "/api/v1/orders/" + orderNo, token, null);
      if (order.statusCode() == 200
          && "CREATED".equals(JSON.readTree(order.body()).path("status").asString())) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("order " + orderNo + " not CREATED: " + order.body());
      }
      Thread.sleep(200);
    }
    HttpResponse<String> created =
        call("POST", "/api/v1/orders/" + orderNo + "/payments", token, "{\"provider\":\"sim\"}");
    if (created.statusCode() != 201) {
      throw new IllegalStateException("no payment for " + orderNo + ": " + created.body());
    }
    JsonNode payment = JSON.readTree(created.body());
    return new Paying(
        orderNo, payment.path("outTradeNo").asString(), payment.path("amountCents").asLong());
  }

  /** Notifies every payment, spread over {@code window}; returns when all are delivered. */
  Thread notifyDuring(List<Paying> payments, Duration window) {
    URI notify = URI.create(base + "/api/v1/payments/notify/sim");
    return Thread.ofPlatform()
        .start(
            () -> {
              long gapNanos = window.toNanos() / Math.max(1, payments.size());
              List<Thread> deliveries = new ArrayList<>();
              long start = System.nanoTime();
              for (int i = 0; i < payments.size(); i++) {
                Paying paying = payments.get(i);
                long at = start + i * gapNanos;
                deliveries.add(
                    Thread.ofVirtual()
                        .start(
                            () -> {
                              sleepUntil(at);
                              deliver(notify, paying);
                            }));
              }
              for (Thread delivery : deliveries) {
                try {
                  delivery.join();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
              }
            });
  }

  private void deliver(URI notify, Paying paying) {
    PaymentProviderSimulator.Notification n =
        provider.pay(paying.outTradeNo(), paying.amountCents());
    unacknowledged.add(paying.outTradeNo());
    List<Integer> atOnce = provider.sendAtOnce(List.of(notify), n, 2);
    notificationsSent.addAndGet(atOnce.size());
    boolean acknowledged = atOnce.contains(200);
    long deadline = System.nanoTime() + DELIVER_FOR.toNanos();
    while (!acknowledged && System.nanoTime() < deadline) {
      PaymentProviderSimulator.Delivery delivery = provider.deliver(notify, n);
      notificationsSent.addAndGet(delivery.calls());
      acknowledged = delivery.acknowledged();
    }
    if (acknowledged) {
      unacknowledged.remove(paying.outTradeNo());
      sleepUntil(System.nanoTime() + Duration.ofSeconds(1).toNanos());
      provider.send(notify, n); // a late duplicate
      notificationsSent.incrementAndGet();
    }
  }

  /** Waits for the payments to settle, then checks them. */
  Audit audit(String runId, List<Paying> payments, Duration atMost) throws Exception {
    long deadline = System.nanoTime() + atMost.toNanos();
    JsonNode run;
    JsonNode promo;
    do {
      Thread.sleep(1_000);
      run = admin("/api/v1/admin/runs/" + runId + "/audit");
      promo = admin("/api/v1/admin/promo/audit");
    } while ((run.path("ordersByStatus").path("PAID").asLong() < payments.size()
            || !promo.path("consistent").asBoolean())
        && System.nanoTime() < deadline);
    Set<String> ours = ConcurrentHashMap.newKeySet();
    payments.forEach(p -> ours.add(p.outTradeNo()));
    long held = 0;
    for (String status : List.of("REVIEW", "REFUND_NEEDED")) {
      for (JsonNode p : admin("/api/v1/admin/payments?status=" + status).path("payments")) {
        if (ours.contains(p.path("outTradeNo").asString())) {
          held++;
        }
      }
    }
    long paid = run.path("ordersByStatus").path("PAID").asLong();
    boolean ok =
        paid == payments.size()
            && held == 0
            && unacknowledged.isEmpty()
            && promo.path("consistent").asBoolean();
    return new Audit(
        ok,
        String.format(
            "payments %s: %d orders each notified 2× at once, then until answered, then once more"
                + " (%d notifications sent, %d never answered): %d PAID, %d for review or refund;"
                + " promo audit %s (paid orders %d, draws %d, coupons used %d)",
            ok ? "ok" : "VIOLATED",
            payments.size(),
            notificationsSent.get(),
            unacknowledged.size(),
            paid,
            held,
            promo.path("consistent").asBoolean() ? "consistent" : "INCONSISTENT " + promo,
            promo.path("paidOrders").asLong(),
            promo.path("drawsGranted").asLong(),
            promo.path("couponsUsed").asLong()));
  }

  private JsonNode admin(String path) throws IOException, InterruptedException {
    return JSON.readTree(call("GET", path, adminToken, null).body());
  }

  private HttpResponse<String> call(String method, String path, String token, String json)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    request.method(
        method,
        json == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void sleepUntil(long nanos) {
    long wait = nanos - System.nanoTime();
    if (wait > 0) {
      try {
        Thread.sleep(Duration.ofNanos(wait));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  void close() {
    provider.close();
  }
}
