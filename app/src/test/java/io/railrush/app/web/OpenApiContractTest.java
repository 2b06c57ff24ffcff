package io.railrush.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.testing.Api;
import io.railrush.app.testing.EmbeddedApiTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/** The OpenAPI description covers every endpoint the controllers serve, with its problem codes. */
@EmbeddedApiTest
class OpenApiContractTest {

  @LocalServerPort int port;

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  @Test
  void everyControllerPathAndMethodIsInTheDocument() {
    JsonNode paths = new Api(port).get("/v3/api-docs").json().path("paths");
    List<String> endpoints = new ArrayList<>();
    mappings
        .getHandlerMethods()
        .forEach(
            (info, handler) -> {
              if (!handler.getBeanType().getPackageName().startsWith("io.railrush.app")) {
                return;
              }
              for (String path : info.getPatternValues()) {
                for (RequestMethod method : info.getMethodsCondition().getMethods()) {
                  endpoints.add(method + " " + path);
                }
              }
            });
    assertThat(endpoints).hasSizeGreaterThanOrEqualTo(10);
    for (String endpoint : endpoints) {
      String[] methodAndPath = endpoint.split(" ", 2);
      assertThat(paths.path(methodAndPath[1]).has(methodAndPath[0].toLowerCase(Locale.ROOT)))
          .as(endpoint + " in /v3/api-docs")
          .isTrue();
    }
  }

  @Test
  void problemResponsesNameTheirCodes() {
    JsonNode doc = new Api(port).get("/v3/api-docs").json();
    JsonNode grab = doc.path("paths").path("/api/v1/runs/{runId}/grabs").path("post");
    assertThat(grab.path("responses").path("202").path("description").asString())
        .contains("accepted");
    String conflicts = grab.path("responses").path("409").path("description").asString();
    assertThat(conflicts).contains("SOLD_OUT", "ALREADY_HOLDING", "NOT_ON_SALE");
    assertThat(grab.path("responses").path("429").path("description").asString())
        .contains("RATE_LIMITED");
    assertThat(grab.path("responses").path("503").path("description").asString()).contains("BUSY");
    assertThat(grab.path("security").toString()).contains("userToken");
    assertThat(grab.path("parameters").toString()).doesNotContain("AuthenticatedUser");
    List<String> codes = new ArrayList<>();
    doc.path("components")
        .path("schemas")
        .path("Problem")
        .path("properties")
        .path("code")
        .path("enum")
        .forEach(code -> codes.add(code.asString()));
    assertThat(codes)
        .containsAll(java.util.Arrays.stream(ErrorCode.values()).map(Enum::name).toList());
    JsonNode audit = doc.path("paths").path("/api/v1/admin/runs/{runId}/audit").path("get");
    assertThat(audit.path("security").toString()).contains("adminToken");
  }

  @Test
  void swaggerUiIsServed() throws Exception {
    HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    HttpResponse<String> page =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/swagger-ui.html"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("swagger-ui");
  }
}
