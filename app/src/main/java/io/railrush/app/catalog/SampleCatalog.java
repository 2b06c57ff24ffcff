package io.railrush.app.catalog;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Loads a sample timetable into an empty catalog: real high-speed routes with their usual train
 * numbers, departure times and second-class fares, for the next three days.
 */
@Component
@ConditionalOnProperty(name = "railrush.catalog.sample-data", havingValue = "true")
class SampleCatalog implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(SampleCatalog.class);

  record Train(
      String trainNo,
      String origin,
      String destination,
      String departs,
      int seats,
      long priceCents) {}

  static final List<Train> TIMETABLE =
      List.of(
          new Train("G1", "北京南", "上海虹桥", "07:00", 1193, 60400),
          new Train("G5", "北京南", "上海虹桥", "07:20", 1193, 55300),
          new Train("G13", "北京南", "上海虹桥", "09:00", 1193, 55300),
          new Train("G296", "北京南", "上海虹桥", "08:00", 1000, 55300),
          new Train("G2", "上海虹桥", "北京南", "07:00", 1193, 60400),
          new Train("G6", "上海虹桥", "北京南", "07:20", 1193, 55300),
          new Train("G79", "北京西", "广州南", "10:00", 1193, 86200),
          new Train("G71", "北京西", "深圳北", "07:27", 1193, 93650),
          new Train("G80", "广州南", "北京西", "10:00", 1193, 86200),
          new Train("G6101", "广州南", "深圳北", "07:00", 556, 7450),
          new Train("G6311", "深圳北", "广州南", "08:15", 556, 7450),
          new Train("G7301", "上海虹桥", "杭州东", "06:25", 556, 7300),
          new Train("G7302", "杭州东", "上海虹桥", "07:05", 556, 7300),
          new Train("C2001", "北京南", "天津", "06:00", 613, 5450),
          new Train("C2002", "天津", "北京南", "06:30", 613, 5450),
          new Train("G8501", "成都东", "重庆北", "07:00", 556, 15400),
          new Train("G8502", "重庆北", "成都东", "07:15", 556, 15400),
          new Train("G651", "北京西", "西安北", "06:50", 1193, 51550),
          new Train("G7001", "上海", "南京南", "06:30", 556, 13950),
          new Train("G1001", "武汉", "广州南", "07:00", 1193, 46350),
          new Train("G33", "北京南", "济南西", "07:30", 556, 18450),
          new Train("G6102", "深圳北", "长沙南", "08:10", 556, 47100),
          new Train("D301", "北京", "上海", "19:22", 610, 30950),
          new Train("K1", "北京西", "昆明", "10:05", 1118, 31800));

  private final RunRepository runs;
  private final KnownRunIds knownIds;
  private final CatalogProperties properties;
  private final Clock clock;

  SampleCatalog(
      RunRepository runs, KnownRunIds knownIds, CatalogProperties properties, Clock clock) {
    this.runs = runs;
    this.knownIds = knownIds;
    this.properties = properties;
    this.clock = clock;
  }

  @Override
  public void run(ApplicationArguments args) {
    if (runs.count() > 0) {
      return;
    }
    LocalDate today = LocalDate.now(clock.withZone(properties.zone()));
    int created = 0;
    for (int day = 1; day <= 3; day++) {
      LocalDate date = today.plusDays(day);
      for (Train t : TIMETABLE) {
        Run run =
            new Run(
                Run.idOf(t.trainNo(), date),
                t.trainNo(),
                date,
                t.origin(),
                t.destination(),
                LocalTime.parse(t.departs()),
                t.seats(),
                0,
                t.priceCents(),
                null);
        runs.insert(run, clock.instant());
        created++;
      }
    }
    knownIds.refresh();
    log.info("Loaded {} sample runs for {} to {}", created, today.plusDays(1), today.plusDays(3));
  }
}
