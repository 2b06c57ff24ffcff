package io.railrush.app.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.railrush.app.RailrushApplication;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A backend choice spelled wrong stops start-up, and the message names the valid values. */
@ExtendWith(OutputCaptureExtension.class)
class TypedConfigurationTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "railrush.grab.strategy     | db_drect   | DB_DIRECT, PIPELINE",
        "railrush.grab.bus.type     | kafka      | OUTBOX, RABBITMQ",
        "railrush.coordination.locks | etcd      | IN_PROCESS, REDIS, ZOOKEEPER, DATABASE",
        "railrush.coordination.worker-ids | redis-cluster | FIXED, REDIS, ZOOKEEPER",
        "railrush.shared-tier       | memcached  | IN_PROCESS, REDIS",
        "railrush.roles             | web,payer  | WEB, ORDER, SWEEPER",
      })
  void aMisspelledBackendStopsStartUpListingTheValidValues(
      String property, String typo, String valid, CapturedOutput output) {
    // command-line arguments: they win over the profile's own settings (an in-memory database,
    // never the embedded profile's file under ./data)
    SpringApplicationBuilder app =
        new SpringApplicationBuilder(RailrushApplication.class).profiles("embedded");
    assertThatThrownBy(
            () ->
                app.run(
                    "--server.port=0",
                    "--spring.datasource.url=jdbc:h2:mem:typo;DB_CLOSE_DELAY=-1",
                    "--railrush.catalog.sample-data=false",
                    "--" + property + "=" + typo))
        .isNotNull();
    assertThat(output.getAll())
        .contains("APPLICATION FAILED TO START")
        .contains(property)
        .contains(typo)
        .contains("The following values are valid:");
    for (String name : valid.split(",\\s*")) {
      assertThat(output.getAll()).containsPattern("(?m)^\\s+" + name + "\\s*$");
    }
  }
}
