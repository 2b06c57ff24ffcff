package io.railrush.app.benchreport;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.bench.grab.GrabScenario;
import io.railrush.bench.report.BenchReport;
import io.railrush.bench.report.CompareCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A short {@code bench grab} against the server jar (embedded mode) leaves an HTML report with each
 * chart and the audit; {@code bench compare} of it with itself puts the two side by side.
 */
@Tag("app-jar")
class GrabReportTest {

  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

  @TempDir Path reports;

  @Test
  void aBenchRunLeavesAReportWithItsChartsAndItsAudit() throws Exception {
    int exit =
        new CommandLine(new GrabScenario())
            .execute(
                "--modes", "embedded:pipeline",
                "--seats", "60",
                "--users", "300",
                "--clients", "8",
                "--seconds", "3",
                "--warmup", "1",
                "--jar", "target/railrush-app.jar",
                "--report-dir", reports.toString());
    assertThat(exit).isZero();
    Path run = onlyFolderIn(reports);
    assertThat(run.resolve("index.html")).exists();
    Document page = Jsoup.parse(run.resolve("index.html").toFile());

    assertThat(page.select("table.machine th").eachText())
        .contains("cores", "cpu", "java", "railrush");
    List<Element> phases = page.select("section.phase");
    assertThat(phases)
        .extracting(p -> p.selectFirst("h2").text())
        .containsExactly(
            "embedded / pipeline: ping",
            "embedded / pipeline: cached stock read",
            "embedded / pipeline: grab");
    for (Element phase : phases) {
      assertChart(run, phase.selectFirst("img.throughput"));
      assertChart(run, phase.selectFirst("img.latency"));
      assertThat(phase.select("table.latency th").eachText())
          .containsExactly("p50", "p90", "p99", "p99.9", "max");
    }
    Element grab = phases.get(2);
    assertThat(grab.selectFirst("h3 .ok")).as("the audit holds").isNotNull();
    assertThat(value(grab, "audit", "seats")).isEqualTo("60");
    assertThat(value(grab, "audit", "sold")).isEqualTo("60");
    assertThat(value(grab, "audit", "202s")).isEqualTo("60");
    assertThat(value(grab, "audit", "orders written")).isEqualTo("60");
    assertThat(value(grab, "summary", "202")).isEqualTo("60");
    assertThat(grab.selectFirst("p.sell-out").text()).startsWith("Sold out ");
    assertThat(value(grab, "summary", "grab / stock read")).matches("\\d+\\.\\d\\d");

    BenchReport.Contents json = BenchReport.read(run);
    assertThat(json.phases()).hasSize(3);
    assertThat(json.phases().get(1).answers())
        .as("every stock read answered")
        .containsOnlyKeys("200");
    assertThat(json.phases().get(2).answers().get("202")).isEqualTo(60L);
    assertThat(json.phases().get(2).answersPerSecond().get("202")).isNotEmpty();

    assertThat(
            new CommandLine(new CompareCommand())
                .execute(run.toString(), run.toString(), "--report-dir", reports.toString()))
        .isZero();
    Path compared =
        reports
            .resolve("compare-" + run.getFileName() + "-vs-" + run.getFileName())
            .resolve("index.html");
    Document side = Jsoup.parse(compared.toFile());
    assertThat(side.select("section.phase")).hasSize(3);
    for (Element phase : side.select("section.phase")) {
      assertChart(compared.getParent(), phase.selectFirst("img.latency"));
      assertChart(compared.getParent(), phase.selectFirst("img.answers"));
    }
    assertThat(side.select("table.compare td").eachText()).contains("1.00");
  }

  private static String value(Element phase, String table, String row) {
    for (Element tr : phase.select("table." + table + " tr")) {
      if (tr.selectFirst("th").text().equals(row)) {
        return tr.selectFirst("td").text();
      }
    }
    throw new AssertionError("no row " + row + " in " + table);
  }

  private static void assertChart(Path dir, Element img) throws IOException {
    assertThat(img).isNotNull();
    Path png = dir.resolve(img.attr("src"));
    assertThat(png).exists();
    byte[] bytes = Files.readAllBytes(png);
    assertThat(bytes.length).isGreaterThan(1_000);
    assertThat(java.util.Arrays.copyOf(bytes, 4)).isEqualTo(PNG);
  }

  private static Path onlyFolderIn(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      List<Path> folders = entries.filter(Files::isDirectory).toList();
      assertThat(folders).hasSize(1);
      return folders.getFirst();
    }
  }
}
