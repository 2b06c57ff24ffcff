package io.railrush.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** The report's {@code index.html}: plain HTML, its charts next to it. */
final class ReportPage {

  static final String STYLE =
      """
      body{font:15px/1.45 system-ui,sans-serif;color:#1d2733;max-width:960px;margin:0 auto;padding:1rem}
      h1{color:#c8102e}table{border-collapse:collapse;margin:.5rem 0 1rem}
      th,td{border-bottom:1px solid #dde3ea;padding:.3rem .6rem;text-align:left}
      td.num{text-align:right;font-variant-numeric:tabular-nums}img{max-width:100%}
      .ok{color:#1b7f3b;font-weight:bold}.violated{color:#c8102e;font-weight:bold}
      code{background:#f3f5f7;padding:.1rem .3rem}
      """;

  private final BenchReport.Contents report;
  private final Path dir;

  ReportPage(BenchReport.Contents report, Path dir) {
    this.report = report;
    this.dir = dir;
  }

  String render() throws IOException {
    StringBuilder html = new StringBuilder();
    html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(escape(report.title()))
        .append("</title><style>")
        .append(STYLE)
        .append("</style></head><body>");
    html.append("<h1>").append(escape(report.title())).append("</h1>");
    html.append("<p>Started ")
        .append(report.started())
        .append(" · <code>")
        .append(escape(String.join(" ", report.command())))
        .append("</code></p>");
    html.append("<h2>Machine and versions</h2>").append(keyValues("machine", report.machine()));
    int i = 0;
    for (BenchReport.Phase phase : report.phases()) {
      i++;
      html.append("<section class=\"phase\"><h2>").append(escape(phase.name())).append("</h2>");
      html.append(keyValues("summary", phase.summary()));
      String throughput = "throughput-" + i + ".png";
      Charts.throughput(
          dir.resolve(throughput),
          phase.name() + ": answers per second",
          phase.answersPerSecond(),
          phase.soldOutAtSeconds());
      html.append("<img class=\"chart throughput\" alt=\"answers per second\" src=\"")
          .append(throughput)
          .append("\">");
      if (phase.soldOutAtSeconds() != null) {
        html.append("<p class=\"sell-out\">")
            .append(String.format("Sold out %.2f s into the phase.", phase.soldOutAtSeconds()))
            .append("</p>");
      } else if (!phase.audit().isEmpty()) {
        html.append("<p class=\"sell-out\">Not sold out in the phase.</p>");
      }
      String latency = "latency-" + i + ".png";
      Charts.latency(dir.resolve(latency), phase.name() + ": latency", phase.latencyHistogram());
      html.append("<img class=\"chart latency\" alt=\"latency histogram\" src=\"")
          .append(latency)
          .append("\">");
      html.append(keyValues("latency", formatMillis(phase.latencyMs())));
      html.append("<h3>Answers</h3>").append(keyValues("answers", phase.answers()));
      if (!phase.audit().isEmpty()) {
        html.append("<h3>Audit: <span class=\"")
            .append(phase.auditOk() ? "ok\">ok" : "violated\">VIOLATED")
            .append("</span></h3>")
            .append(keyValues("audit", phase.audit()));
      }
      html.append("</section>");
    }
    return html.append("</body></html>").toString();
  }

  private static Map<String, String> formatMillis(Map<String, Double> ms) {
    Map<String, String> text = new java.util.LinkedHashMap<>();
    ms.forEach((k, v) -> text.put(k, String.format("%.1f ms", v)));
    return text;
  }

  static String keyValues(String cssClass, Map<String, ?> rows) {
    StringBuilder table = new StringBuilder("<table class=\"").append(cssClass).append("\">");
    rows.forEach(
        (k, v) ->
            table
                .append("<tr><th>")
                .append(escape(k))
                .append("</th><td class=\"num\">")
                .append(escape(String.valueOf(v)))
                .append("</td></tr>"));
    return table.append("</table>").toString();
  }

  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
