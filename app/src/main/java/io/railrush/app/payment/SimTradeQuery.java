package io.railrush.app.payment;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The simulator's trade query: {@code GET <query-url>/<outTradeNo>} answers a notification body
 * signed like a notification ({@code X-Sim-Signature}), 404 for a trade it does not know.
 */
final class SimTradeQuery implements TradeQuery {

  private final String queryUrl;
  private final SimNotifications verifier;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  SimTradeQuery(String queryUrl, SimNotifications verifier) {
    this.queryUrl = queryUrl;
    this.verifier = verifier;
  }

  @Override
  public Optional<VerifiedNotification> ask(String outTradeNo)
      throws IOException, InterruptedException {
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(URI.create(queryUrl + "/" + outTradeNo))
                .timeout(Duration.ofSeconds(3))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    if (response.statusCode() != 200) {
      throw new IOException("simulator answered " + response.statusCode());
    }
    try {
      return Optional.of(
          verifier.verify(
              response.headers().firstValue("X-Sim-Signature").orElse(null), response.body()));
    } catch (NotificationRejected rejected) {
      throw new IOException("the simulator's answer does not check out", rejected);
    }
  }
}
