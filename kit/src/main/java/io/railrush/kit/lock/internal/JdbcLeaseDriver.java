package io.railrush.kit.lock.internal;

import io.railrush.kit.BackendUnavailableException;
import io.railrush.kit.lock.LockUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import javax.sql.DataSource;

/**
 * A lock row per name with owner, lease end and fence (the classic unique-constraint lock, where a
 * second insert of the name fails, made safe against crashed holders: an expired lease is taken
 * over, and the fence increases with every grant). Lease ends are computed and compared with the
 * database's own clock, so nodes with skewed clocks still agree on who holds what.
 */
public final class JdbcLeaseDriver implements LeaseDriver {

  private final DataSource dataSource;
  private final String grantSql;
  private final String insertSql;
  private final String renewSql;
  private final String releaseSql;

  public JdbcLeaseDriver(DataSource dataSource) {
    this.dataSource = dataSource;
    String now = nowMillis(dataSource);
    this.grantSql =
        "update distributed_lock set owner = ?, lease_until_ms = "
            + now
            + " + ?, fence = fence + 1"
            + " where lock_name = ? and lease_until_ms <= "
            + now;
    this.insertSql =
        "insert into distributed_lock (lock_name, owner, lease_until_ms, fence) values (?, ?, "
            + now
            + " + ?, 1)";
    this.renewSql =
        "update distributed_lock set lease_until_ms = "
            + now
            + " + ?"
            + " where lock_name = ? and owner = ? and fence = ? and lease_until_ms > "
            + now;
    this.releaseSql =
        "update distributed_lock set owner = null, lease_until_ms = 0 where lock_name = ? and owner = ? and fence = ?";
  }

  /** The database's current time in epoch milliseconds, in its own dialect. */
  private static String nowMillis(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
      if (product.contains("postgres")) {
        return "cast(extract(epoch from clock_timestamp()) * 1000 as bigint)";
      }
      if (product.contains("mysql") || product.contains("mariadb")) {
        return "cast(unix_timestamp(now(3)) * 1000 as signed)";
      }
      if (product.contains("h2")) {
        return "datediff('MILLISECOND', timestamp with time zone '1970-01-01 00:00:00+00', current_timestamp(3))";
      }
      throw new IllegalArgumentException("no lock dialect for " + product);
    } catch (SQLException e) {
      throw translated("cannot reach the lock database", e);
    }
  }

  @Override
  public OptionalLong tryGrant(String name, String owner, Duration lease) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      try (PreparedStatement grant = c.prepareStatement(grantSql)) {
        grant.setString(1, owner);
        grant.setLong(2, lease.toMillis());
        grant.setString(3, name);
        if (grant.executeUpdate() == 1) {
          return fenceOf(c, name, owner);
        }
      }
      try (PreparedStatement insert = c.prepareStatement(insertSql)) {
        insert.setString(1, name);
        insert.setString(2, owner);
        insert.setLong(3, lease.toMillis());
        insert.executeUpdate();
        return OptionalLong.of(1);
      } catch (SQLException e) {
        if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
          return OptionalLong.empty(); // the row exists and its lease is live
        }
        throw e;
      }
    } catch (SQLException e) {
      throw translated("lock " + name, e);
    }
  }

  private static OptionalLong fenceOf(Connection c, String name, String owner) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "select fence from distributed_lock where lock_name = ? and owner = ?")) {
      select.setString(1, name);
      select.setString(2, owner);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
      }
    }
  }

  @Override
  public boolean renew(String name, String owner, long fence, Duration lease) {
    return update(
            renewSql,
            name,
            ps -> {
              ps.setLong(1, lease.toMillis());
              ps.setString(2, name);
              ps.setString(3, owner);
              ps.setLong(4, fence);
            })
        == 1;
  }

  @Override
  public void release(String name, String owner, long fence) {
    update(
        releaseSql,
        name,
        ps -> {
          ps.setString(1, name);
          ps.setString(2, owner);
          ps.setLong(3, fence);
        });
  }

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private int update(String sql, String name, Binder binder) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      c.setAutoCommit(true);
      binder.bind(ps);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw translated("lock " + name, e);
    }
  }

  /**
   * SQL states of requests the database refused for what they asked: syntax or a missing table or
   * column (42), bad data (22), unsupported features (0A), credentials (28), a missing schema or
   * catalog (3F, 3D). Those are bugs or misconfiguration; every other failure (no connection, pool
   * exhausted or closed, timeouts, deadlocks, a server shutting down) is the database unavailable.
   */
  private static final Set<String> REFUSED_STATE_CLASSES =
      Set.of("42", "22", "0A", "28", "3F", "3D");

  private static RuntimeException translated(String what, SQLException e) {
    String state = e.getSQLState();
    boolean refused =
        e instanceof SQLSyntaxErrorException
            || e instanceof SQLDataException
            || e instanceof SQLFeatureNotSupportedException
            || e instanceof SQLInvalidAuthorizationSpecException
            || (state != null
                && state.length() >= 2
                && REFUSED_STATE_CLASSES.contains(state.substring(0, 2)));
    if (refused && !(e instanceof SQLTransientException)) {
      return new IllegalStateException(what + ": " + e.getMessage(), e);
    }
    return new LockUnavailableException(
        BackendUnavailableException.DATABASE, what + ": " + e.getMessage(), e);
  }
}
