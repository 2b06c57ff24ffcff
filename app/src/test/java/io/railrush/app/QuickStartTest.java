package io.railrush.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The README's quick-start block, pasted into bash as it stands, against a fresh embedded node:
 * every command must succeed (curl fails on any 4xx/5xx), so the README cannot drift from the
 * service.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.datasource.url=jdbc:h2:mem:quick-start;DB_CLOSE_DELAY=-1")
@ActiveProfiles("embedded")
class QuickStartTest {

  private static final String BEGIN = "<!-- quick-start";
  private static final String END = "<!-- /quick-start -->";

  @LocalServerPort int port;

  @Test
  void theReadmeQuickStartRunsAsPasted() throws IOException, InterruptedException {
    String readme = Files.readString(Path.of("..", "README.md"));
    String block = readme.substring(readme.indexOf(BEGIN), readme.indexOf(END));
    String commands =
        block.substring(block.indexOf("```bash") + "```bash".length(), block.lastIndexOf("```"));
    assertThat(commands).contains("localhost:8080");

    String script =
        "set -euo pipefail\n"
            + "curl() { command curl --fail-with-body --show-error \"$@\"; }\n"
            + commands.replace("localhost:8080", "localhost:" + port);
    Process bash = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
    boolean finished = bash.waitFor(120, TimeUnit.SECONDS);
    String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(finished).as(output).isTrue();
    assertThat(bash.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("\"trainNo\":\"G1\"")
        .contains("\"runId\":\"G296-")
        .contains("HTTP/1.1 202")
        .contains("\"orders\":[{")
        .contains("{\"code\":\"SUCCESS\"}")
        .contains("\"status\":\"PAID\"")
        .contains("\"usersWithMoreThanOneActiveOrder\":0")
        .contains("\"status\":\"UP\"")
        .contains("railrush_grabs_total{");
  }
}
