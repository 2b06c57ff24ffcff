package io.railrush.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.testing.EmbeddedApiTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Errors raised by the servlet container itself, before any controller runs, are problem+json with
 * a {@code code} like the rest of the API (not Tomcat's HTML page). Sent over a raw socket: HTTP
 * clients refuse to send most of these requests.
 */
@EmbeddedApiTest
class ContainerErrorsTest {

  @LocalServerPort int port;

  record Answer(int status, String head, JsonNode body) {}

  @Test
  void rawNonAsciiBytesInTheQuery() throws IOException {
    Answer answer = send("GET /api/v1/runs?origin=北京南&destination=上海虹桥 HTTP/1.1");
    assertProblem(answer, 400, "BAD_REQUEST");
    assertThat(answer.body().path("detail").asString()).contains("percent-encode");
  }

  @Test
  void percentGarbageInThePath() throws IOException {
    assertProblem(send("GET /api/v1/runs/%zz%G1 HTTP/1.1"), 400, "BAD_REQUEST");
  }

  @Test
  void percentGarbageInTheQuery() throws IOException {
    assertProblem(send("GET /api/v1/runs?origin=%zz HTTP/1.1"), 400, "BAD_REQUEST");
  }

  @Test
  void anUnmappedPath() throws IOException {
    assertProblem(send("GET /no/such/thing HTTP/1.1"), 404, "NOT_FOUND");
  }

  @Test
  void aMethodTheResourceDoesNotTake() throws IOException {
    assertProblem(send("DELETE /api/v1/runs HTTP/1.1"), 405, "BAD_REQUEST");
  }

  @Test
  void aRequestLineOverTheLimit() throws IOException {
    Answer answer = send("GET /api/v1/runs?origin=" + "x".repeat(20_000) + " HTTP/1.1");
    assertThat(answer.status()).isIn(400, 414, 431);
    assertProblem(answer, answer.status(), "BAD_REQUEST");
  }

  @Test
  void aMalformedRequestLine() throws IOException {
    assertProblem(send("GET /api/v1/runs HTTP/1.1 extra"), 400, "BAD_REQUEST");
  }

  private static void assertProblem(Answer answer, int status, String code) {
    assertThat(answer.status()).as(answer.head()).isEqualTo(status);
    assertThat(answer.head().toLowerCase(Locale.ROOT))
        .contains("content-type: application/problem+json");
    assertThat(answer.body().path("code").asString()).isEqualTo(code);
    assertThat(answer.body().path("status").asInt()).isEqualTo(status);
    assertThat(answer.body().path("title").asString()).isNotBlank();
    assertThat(answer.body().path("detail").asString()).isNotBlank();
  }

  private Answer send(String requestLine) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          (requestLine + "\r\nHost: localhost\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String response = all.toString(StandardCharsets.UTF_8);
      int split = response.indexOf("\r\n\r\n");
      String head = response.substring(0, split);
      String body = response.substring(split + 4);
      if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
        body = unchunk(body);
      }
      int status = Integer.parseInt(head.substring(9, 12));
      return new Answer(status, head, JsonMapper.builder().build().readTree(body));
    }
  }

  private static String unchunk(String chunked) {
    StringBuilder body = new StringBuilder();
    int at = 0;
    while (true) {
      int lineEnd = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
      if (size == 0) {
        return body.toString();
      }
      body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
  }
}
