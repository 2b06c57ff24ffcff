package io.railrush.app.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/**
 * Request bodies are typed strictly: {@code "seats":"10"} or {@code "seats":true} is a 400, not a
 * silently converted number (unknown fields and float-to-int are refused in application.yml).
 */
@Configuration(proxyBeanMethods = false)
class StrictJsonConfig {

  /**
   * {@code {"seats":1,"seats":5000}} is a 400 rather than "the last one wins" (a proxy or a WAF may
   * read the first), and so is anything after the document.
   */
  @Bean
  JsonMapperBuilderCustomizer refuseAmbiguousDocuments() {
    return builder ->
        builder
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  @Bean
  JsonMapperBuilderCustomizer refuseScalarCoercion() {
    return builder -> {
      for (LogicalType type :
          new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
        builder.withCoercionConfig(
            type,
            config -> {
              config.setCoercion(CoercionInputShape.String, CoercionAction.Fail);
              config.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
            });
      }
      builder.withCoercionConfig(
          LogicalType.Textual,
          config -> {
            config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
            config.setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
            config.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
          });
    };
  }
}
