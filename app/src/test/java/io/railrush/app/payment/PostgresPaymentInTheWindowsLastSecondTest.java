package io.railrush.app.payment;

import io.railrush.app.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Tag;

@Tag("postgres")
@Tag("redis")
@Tag("rabbitmq")
class PostgresPaymentInTheWindowsLastSecondTest extends PaymentInTheWindowsLastSecondContract {

  @Override
  protected TestDatabases.Database freshDatabase() {
    return TestDatabases.freshPostgres();
  }

  @Override
  protected void holdInbox(Statement statement) throws Exception {
    statement.getConnection().setAutoCommit(false);
    statement.execute("lock table payment_notification in exclusive mode");
  }

  @Override
  protected void releaseInbox(Connection connection) throws Exception {
    connection.commit();
  }

  @Override
  protected boolean aSweeperWaitsForAPaymentLock(Statement statement) throws Exception {
    try (ResultSet waiting =
        statement.executeQuery(
            "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                + " and query like '%from payment where out_trade_no = $1 for update%'")) {
      waiting.next();
      return waiting.getLong(1) > 0;
    }
  }
}
