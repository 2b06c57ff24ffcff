package io.railrush.bench;

import io.railrush.bench.cache.CacheScenario;
import io.railrush.bench.grab.GrabScenario;
import io.railrush.bench.lock.LockScenario;
import io.railrush.bench.messaging.RelayScenario;
import io.railrush.bench.payment.PaymentScenario;
import io.railrush.bench.report.CompareCommand;
import io.railrush.bench.seats.SeatsScenario;
import io.railrush.bench.stock.StockScenario;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The Railrush load generator: one subcommand per scenario, each printing a Markdown table. */
@Command(
    name = "railrush-bench",
    mixinStandardHelpOptions = true,
    subcommands = {
      CacheScenario.class,
      LockScenario.class,
      StockScenario.class,
      SeatsScenario.class,
      GrabScenario.class,
      PaymentScenario.class,
      RelayScenario.class,
      CompareCommand.class
    },
    description = "Side-by-side load scenarios for Railrush. Results go to docs/benchmarks.md.")
public final class Bench implements Runnable {

  public static void main(String[] args) {
    System.exit(
        new CommandLine(new Bench()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
