package io.railrush.bench.cache;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The database behind the cache: a real PostgreSQL query that takes {@code loadMillis} (the cost of
 * the stock query under load), through a connection pool like the app's. Counts every load. The
 * value it returns is the time it was read (epoch ms), so readers can tell how old the answer they
 * got is.
 */
final class SlowSource implements AutoCloseable {

  private final HikariDataSource pool;
  private final double loadSeconds;
  private final Ledger ledger;

  /**
   * Shared by the nodes' sources: counts loads, and loads that started while another load was
   * already running somewhere in the cluster — the stampede itself.
   */
  static final class Ledger {
    private final AtomicLong loads = new AtomicLong();
    private final AtomicLong overlapping = new AtomicLong();
    private final AtomicInteger running = new AtomicInteger();

    long loads() {
      return loads.get();
    }

    long overlapping() {
      return overlapping.get();
    }
  }

  SlowSource(Ledger ledger, String jdbcUrl, String user, int poolSize, long loadMillis) {
    this.ledger = ledger;
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setMaximumPoolSize(poolSize);
    config.setConnectionTimeout(30_000);
    this.pool = new HikariDataSource(config);
    this.loadSeconds = loadMillis / 1000.0;
  }

  long remaining(String runId) {
    ledger.loads.incrementAndGet();
    if (ledger.running.incrementAndGet() > 1) {
      ledger.overlapping.incrementAndGet();
    }
    try (Connection c = pool.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select pg_sleep(?), (extract(epoch from clock_timestamp()) * 1000)::bigint, ?")) {
      s.setDouble(1, loadSeconds);
      s.setString(2, runId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(2);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    } finally {
      ledger.running.decrementAndGet();
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
