package io.railrush.bench.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bench compare A B}: two reports side by side — per phase of the same name their figures
 * with the ratio B / A, their latency percentiles and answers per second as grouped bars, and the
 * two machines. Written to {@code <reports>/compare-<A>-vs-<B>/index.html}.
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = "Writes a side-by-side report of two bench reports")
public final class CompareCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "the first report: its folder or its report.json")
  Path first;

  @Parameters(index = "1", description = "the second report")
  Path second;

  @Option(names = "--report-dir", defaultValue = "bench/reports")
  Path reports;

  @Override
  public Integer call() throws Exception {
    Path index = compare(first, second, reports);
    System.out.println("report: " + index);
    return 0;
  }

  static Path compare(Path first, Path second, Path reports) throws Exception {
    BenchReport.Contents a = BenchReport.read(first);
    BenchReport.Contents b = BenchReport.read(second);
    String nameA = folderName(first);
    String nameB = folderName(second);
    Path dir = reports.resolve("compare-" + nameA + "-vs-" + nameB);
    Files.createDirectories(dir);
    StringBuilder html = new StringBuilder();
    html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(ReportPage.escape(nameA + " vs " + nameB))
        .append("</title><style>")
        .append(ReportPage.STYLE)
        .append("</style></head><body>");
    html.append("<h1>").append(ReportPage.escape("A " + nameA + " vs B " + nameB)).append("</h1>");
    html.append("<p>A: <code>")
        .append(ReportPage.escape(String.join(" ", a.command())))
        .append("</code><br>B: <code>")
        .append(ReportPage.escape(String.join(" ", b.command())))
        .append("</code></p>");
    html.append("<h2>Machines</h2>").append(sideBySide(a.machine(), b.machine(), false));
    int i = 0;
    for (BenchReport.Phase phaseA : a.phases()) {
      BenchReport.Phase phaseB =
          b.phases().stream().filter(p -> p.name().equals(phaseA.name())).findFirst().orElse(null);
      if (phaseB == null) {
        continue;
      }
      i++;
      html.append("<section class=\"phase\"><h2>")
          .append(ReportPage.escape(phaseA.name()))
          .append("</h2>");
      html.append(sideBySide(phaseA.summary(), phaseB.summary(), true));
      String latency = "latency-" + i + ".png";
      Charts.sideBySide(
          dir.resolve(latency),
          phaseA.name() + ": latency",
          "ms",
          pair("A " + nameA, phaseA.latencyMs(), "B " + nameB, phaseB.latencyMs()));
      html.append("<img class=\"chart latency\" alt=\"latency, A and B\" src=\"")
          .append(latency)
          .append("\">");
      String answers = "answers-" + i + ".png";
      Charts.sideBySide(
          dir.resolve(answers),
          phaseA.name() + ": answers per second",
          "per second",
          pair("A " + nameA, perSecond(phaseA), "B " + nameB, perSecond(phaseB)));
      html.append("<img class=\"chart answers\" alt=\"answers per second, A and B\" src=\"")
          .append(answers)
          .append("\">");
      html.append("<p>Audit: A ")
          .append(phaseA.auditOk() ? "ok" : "VIOLATED")
          .append(", B ")
          .append(phaseB.auditOk() ? "ok" : "VIOLATED")
          .append("</p></section>");
    }
    if (i == 0) {
      html.append("<p>The two reports have no phase of the same name.</p>");
    }
    Path index = dir.resolve("index.html");
    Files.writeString(index, html.append("</body></html>").toString());
    return index;
  }

  private static Map<String, Map<String, Double>> pair(
      String nameA, Map<String, Double> a, String nameB, Map<String, Double> b) {
    Map<String, Map<String, Double>> both = new LinkedHashMap<>();
    both.put(nameA, a);
    both.put(nameB, b);
    return both;
  }

  private static Map<String, Double> perSecond(BenchReport.Phase phase) {
    Map<String, Double> rates = new LinkedHashMap<>();
    phase.answers().forEach((answer, count) -> rates.put(answer, count / phase.seconds()));
    return rates;
  }

  private static String folderName(Path report) {
    Path folder = Files.isDirectory(report) ? report : report.toAbsolutePath().getParent();
    return folder.toAbsolutePath().normalize().getFileName().toString();
  }

  /** Rows of both maps; with {@code ratios}, B / A where both read as numbers. */
  private static String sideBySide(Map<String, String> a, Map<String, String> b, boolean ratios) {
    Set<String> keys = new LinkedHashSet<>(a.keySet());
    keys.addAll(b.keySet());
    StringBuilder table =
        new StringBuilder("<table class=\"compare\"><tr><th></th><th>A</th><th>B</th>")
            .append(ratios ? "<th>B / A</th>" : "")
            .append("</tr>");
    for (String key : keys) {
      String va = a.getOrDefault(key, "–");
      String vb = b.getOrDefault(key, "–");
      table
          .append("<tr><th>")
          .append(ReportPage.escape(key))
          .append("</th><td class=\"num\">")
          .append(ReportPage.escape(va))
          .append("</td><td class=\"num\">")
          .append(ReportPage.escape(vb))
          .append("</td>");
      if (ratios) {
        Double x = number(va);
        Double y = number(vb);
        table
            .append("<td class=\"num\">")
            .append(x != null && y != null && x != 0 ? String.format("%.2f", y / x) : "")
            .append("</td>");
      }
      table.append("</tr>");
    }
    return table.append("</table>").toString();
  }

  private static Double number(String text) {
    try {
      return Double.parseDouble(text.replace(",", "").strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
