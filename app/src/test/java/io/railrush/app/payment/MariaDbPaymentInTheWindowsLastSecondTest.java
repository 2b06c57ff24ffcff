package io.railrush.app.payment;

import io.railrush.app.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Tag;

/** The same on InnoDB, whose default isolation (REPEATABLE READ) the cancel must not inherit. */
@Tag("mariadb")
@Tag("redis")
@Tag("rabbitmq")
class MariaDbPaymentInTheWindowsLastSecondTest extends PaymentInTheWindowsLastSecondContract {

  @Override
  protected TestDatabases.Database freshDatabase() {
    return TestDatabases.freshMariaDb();
  }

  @Override
  protected void holdInbox(Statement statement) throws Exception {
    statement.execute("lock tables payment_notification write");
  }

  @Override
  protected void releaseInbox(Connection connection) throws Exception {
    try (Statement statement = connection.createStatement()) {
      statement.execute("unlock tables");
    }
  }

  @Override
  protected boolean aSweeperWaitsForAPaymentLock(Statement statement) throws Exception {
    try (ResultSet waiting =
        statement.executeQuery(
            "select count(*) from information_schema.processlist where command = 'Query'"
                + " and info like '%from payment where out_trade_no = % for update%'")) {
      waiting.next();
      return waiting.getLong(1) > 0;
    }
  }
}
