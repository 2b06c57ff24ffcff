package io.railrush.app.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for the API: tests talk to a real server over a real socket. */
public final class Api {

  public static final String ADMIN_TOKEN = "dev-admin-token";
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  public Api(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  public record Reply(int status, String body, HttpResponse<String> raw) {
    public JsonNode json() {
      return JSON.readTree(body);
    }

    public String code() {
      return json().path("code").asString();
    }

    public String contentType() {
      return raw.headers().firstValue("Content-Type").orElse("");
    }
  }

  public Reply get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  public Reply get(String path, String bearer) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + bearer)
            .GET());
  }

  public Reply post(String path, String bearer, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return send(request);
  }

  public Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String uri(String path) {
    return base + path;
  }

  public String login(String userId) {
    Reply reply = post("/api/v1/sessions", null, "{\"userId\":\"" + userId + "\"}");
    if (reply.status() != 201) {
      throw new IllegalStateException("login failed: " + reply.status() + " " + reply.body());
    }
    return reply.json().path("token").asString();
  }

  /** Creates a run through the admin API and returns its id. */
  public String createRun(
      String trainNo, String date, String origin, String destination, int seats) {
    Reply reply =
        post(
            "/api/v1/admin/runs",
            ADMIN_TOKEN,
            """
            {"trainNo":"%s","departureDate":"%s","origin":"%s","destination":"%s","departureTime":"08:00","seats":%d,"priceCents":55300}
            """
                .formatted(trainNo, date, origin, destination, seats));
    if (reply.status() != 201) {
      throw new IllegalStateException("create run failed: " + reply.status() + " " + reply.body());
    }
    return reply.json().path("runId").asString();
  }

  /** Issues a coupon through the admin API and returns its id. */
  public String issueCoupon(String userId, long amountOffCents) {
    Reply reply =
        post(
            "/api/v1/admin/coupons",
            ADMIN_TOKEN,
            "{\"userId\":\"%s\",\"amountOffCents\":%d}".formatted(userId, amountOffCents));
    if (reply.status() != 201) {
      throw new IllegalStateException(
          "issue coupon failed: " + reply.status() + " " + reply.body());
    }
    return reply.json().path("couponId").asString();
  }
}
