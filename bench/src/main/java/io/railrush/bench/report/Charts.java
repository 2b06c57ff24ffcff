package io.railrush.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The report's PNG charts, drawn headless with JFreeChart. */
final class Charts {

  static final int WIDTH = 900;
  static final int HEIGHT = 360;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {}

  /** Answers per second, one line per answer, with the sell-out moment marked. */
  static void throughput(
      Path png, String title, Map<String, long[]> perSecond, Double soldOutAtSeconds)
      throws IOException {
    XYSeriesCollection lines = new XYSeriesCollection();
    perSecond.forEach(
        (answer, counts) -> {
          XYSeries series = new XYSeries(answer);
          for (int s = 0; s < counts.length; s++) {
            series.add(s + 0.5, counts[s]); // the middle of the second it counts
          }
          lines.addSeries(series);
        });
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title,
            "second",
            "answers per second",
            lines,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    XYPlot plot = chart.getXYPlot();
    plot.getDomainAxis().setLowerBound(0);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    for (int i = 0; i < lines.getSeriesCount(); i++) {
      plot.getRenderer().setSeriesStroke(i, new BasicStroke(2f));
    }
    if (soldOutAtSeconds != null) {
      ValueMarker soldOut = new ValueMarker(soldOutAtSeconds, Color.RED, new BasicStroke(1.5f));
      soldOut.setLabel(String.format("sold out at %.2f s", soldOutAtSeconds));
      soldOut.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
      soldOut.setLabelTextAnchor(TextAnchor.TOP_LEFT);
      plot.addDomainMarker(soldOut);
    }
    ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
  }

  /** Requests per latency bucket. */
  static void latency(Path png, String title, List<BenchReport.Bucket> buckets) throws IOException {
    DefaultCategoryDataset bars = new DefaultCategoryDataset();
    for (BenchReport.Bucket bucket : buckets) {
      bars.addValue(bucket.count(), "requests", "≤ " + format(bucket.upToMs()) + " ms");
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            title, "latency", "requests", bars, PlotOrientation.VERTICAL, false, false, false);
    chart.getCategoryPlot().setBackgroundPaint(Color.WHITE);
    chart.getCategoryPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
  }

  /** Grouped bars: one group per category, one bar per report. */
  static void sideBySide(
      Path png, String title, String valueAxis, Map<String, Map<String, Double>> byReport)
      throws IOException {
    DefaultCategoryDataset bars = new DefaultCategoryDataset();
    byReport.forEach(
        (report, values) ->
            values.forEach((category, value) -> bars.addValue(value, report, category)));
    JFreeChart chart =
        ChartFactory.createBarChart(
            title, "", valueAxis, bars, PlotOrientation.VERTICAL, true, false, false);
    chart.getCategoryPlot().setBackgroundPaint(Color.WHITE);
    chart.getCategoryPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
  }

  static String format(double ms) {
    return ms == Math.rint(ms) ? Long.toString((long) ms) : String.format("%.1f", ms);
  }
}
