package io.railrush.bench.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * One bench run as a report people can look at: {@code <reports>/<timestamp>/index.html} with PNG
 * charts (answers per second by outcome with the sell-out moment, the latency histogram) per
 * measured phase, the audit, the machine and versions — and {@code report.json}, the same figures
 * for {@code bench compare}.
 */
public final class BenchReport {

  static final ObjectMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  private static final DateTimeFormatter FOLDER =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  /** One latency bucket of the histogram: requests answered in (previous bound, upToMs]. */
  public record Bucket(double upToMs, long count) {}

  /**
   * What one measured phase shows.
   *
   * @param name e.g. {@code embedded / pipeline: grab}
   * @param answersPerSecond per answer ({@code 202}, {@code 409 SOLD_OUT}, …), counts per second
   * @param latencyMs p50, p90, p99, p99.9 and max in milliseconds
   * @param soldOutAtSeconds when the first SOLD_OUT came, or null
   * @param summary the table row's figures, by column name
   * @param audit what the database audit read, by name
   * @param auditOk whether the audit holds
   */
  public record Phase(
      String name,
      double seconds,
      Map<String, Long> answers,
      Map<String, long[]> answersPerSecond,
      Map<String, Double> latencyMs,
      List<Bucket> latencyHistogram,
      Double soldOutAtSeconds,
      Map<String, String> summary,
      Map<String, String> audit,
      boolean auditOk) {

    /** A phase's latency figures from an HdrHistogram of microseconds. */
    public static Map<String, Double> percentiles(Histogram micros) {
      Map<String, Double> ms = new LinkedHashMap<>();
      for (double p : new double[] {50, 90, 99, 99.9}) {
        ms.put(
            "p" + (p == 99.9 ? "99.9" : Integer.toString((int) p)),
            micros.getValueAtPercentile(p) / 1_000.0);
      }
      ms.put("max", micros.getMaxValue() / 1_000.0);
      return ms;
    }

    /** Buckets doubling from 1 ms: the shape of the latency distribution. */
    public static List<Bucket> histogram(Histogram micros) {
      List<Bucket> buckets = new ArrayList<>();
      long from = 0;
      for (long upTo = 1_000; from <= micros.getMaxValue(); upTo *= 2) {
        buckets.add(new Bucket(upTo / 1_000.0, micros.getCountBetweenValues(from, upTo)));
        from = upTo + 1;
      }
      return buckets;
    }
  }

  /** The whole report, as {@code report.json} holds it. */
  public record Contents(
      String title,
      Instant started,
      List<String> command,
      Map<String, String> machine,
      List<Phase> phases) {}

  private final String title;
  private final List<String> command;
  private final Instant started = Instant.now();
  private final List<Phase> phases = new ArrayList<>();

  public BenchReport(String title, List<String> command) {
    this.title = title;
    this.command = List.copyOf(command);
  }

  public synchronized void add(Phase phase) {
    phases.add(phase);
  }

  /** Writes the report under {@code reports}; returns its {@code index.html}. */
  public synchronized Path write(Path reports) throws IOException {
    Path dir = reports.resolve(FOLDER.format(started));
    Files.createDirectories(dir);
    Contents contents = new Contents(title, started, command, machine(), List.copyOf(phases));
    JSON.writeValue(dir.resolve("report.json").toFile(), contents);
    Path index = dir.resolve("index.html");
    Files.writeString(index, new ReportPage(contents, dir).render());
    return index;
  }

  /** Reads a report written before (its folder or its {@code report.json}). */
  public static Contents read(Path report) throws IOException {
    Path file = Files.isDirectory(report) ? report.resolve("report.json") : report;
    return JSON.readValue(file.toFile(), Contents.class);
  }

  static Map<String, String> machine() {
    Map<String, String> machine = new LinkedHashMap<>();
    machine.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    machine.put("cpu", cpuModel());
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      machine.put(
          "memory", String.format("%.1f GiB", os.getTotalMemorySize() / (1024.0 * 1024 * 1024)));
    }
    machine.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    machine.put("java", Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
    machine.put("railrush", gitDescribe());
    return machine;
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).strip())
          .findFirst()
          .orElse("unknown");
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** The commit the bench was built from, when run from a git checkout. */
  private static String gitDescribe() {
    try {
      Process git =
          new ProcessBuilder("git", "describe", "--always", "--dirty")
              .redirectErrorStream(true)
              .start();
      String out = new String(git.getInputStream().readAllBytes()).strip();
      return git.waitFor() == 0 ? out : "unknown";
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
