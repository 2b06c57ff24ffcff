package io.railrush.app.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI 3 description at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}),
 * generated from the controllers: every problem response is the one {@code Problem} shape, and each
 * endpoint lists, per status, the {@code code}s it answers ({@link Refusals}).
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

  static final String PROBLEM = "Problem";

  @Bean
  OpenAPI railrushOpenApi() {
    Schema<?> problem =
        new ObjectSchema()
            .description("RFC 9457 problem details with a machine-readable code")
            .addProperty("type", new StringSchema().format("uri"))
            .addProperty("title", new StringSchema())
            .addProperty("status", new IntegerSchema())
            .addProperty("detail", new StringSchema())
            .addProperty(
                "code",
                new StringSchema()
                    ._enum(Arrays.stream(ErrorCode.values()).map(Enum::name).toList()))
            .required(List.of("type", "title", "status", "code"));
    return new OpenAPI()
        .info(
            new Info()
                .title("Railrush API")
                .version("1")
                .description(
                    "Train-ticket sales built for flash-sale peaks: the ticket query, the grab,"
                        + " orders. Money is in integer cents, times are ISO-8601 with offset,"
                        + " errors are application/problem+json with a code; 429 and 503 carry"
                        + " Retry-After. See docs/api.md."))
        .components(new Components().addSchemas(PROBLEM, problem));
  }

  @Bean
  OperationCustomizer refusalsAsProblemResponses() {
    return (operation, handler) -> {
      Refusals refusals = handler.getMethodAnnotation(Refusals.class);
      if (refusals == null) {
        return operation;
      }
      Map<Integer, List<ErrorCode>> byStatus =
          Arrays.stream(refusals.value())
              .collect(
                  Collectors.groupingBy(
                      code -> code.status().value(), TreeMap::new, Collectors.toList()));
      if (operation.getResponses() == null) {
        operation.setResponses(new ApiResponses());
      }
      byStatus.forEach(
          (status, codes) ->
              operation
                  .getResponses()
                  .addApiResponse(String.valueOf(status), problemResponse(codes)));
      return operation;
    };
  }

  static ApiResponse problemResponse(List<ErrorCode> codes) {
    String names = codes.stream().map(Enum::name).collect(Collectors.joining(", "));
    return new ApiResponse()
        .description("Problem; code: " + names)
        .content(
            new Content()
                .addMediaType(
                    "application/problem+json",
                    new MediaType()
                        .schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
  }
}
