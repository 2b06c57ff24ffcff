package io.railrush.app.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * Published outbox rows and the promo consumer's records of applied messages are deleted once older
 * than keep-done, in chunks; nothing unpublished and nothing recent is touched.
 */
@SpringBootTest(
    properties = {
      "spring.datasource.url=jdbc:h2:mem:message-retention;DB_CLOSE_DELAY=-1",
      "railrush.messaging.keep-done=1h",
      "railrush.messaging.retention-every=1h"
    })
@ActiveProfiles("embedded")
class MessageRetentionTest {

  @Autowired MessageRetention retention;
  @Autowired JdbcClient jdbc;

  @Test
  void whatIsDoneWithIsForgottenAfterKeepDoneAndNothingElse() {
    long now = System.currentTimeMillis();
    long old = now - Duration.ofHours(2).toMillis();
    long recent = now - Duration.ofMinutes(1).toMillis();
    for (int i = 0; i < 12_000; i++) { // more than two chunks
      outbox("old-published-" + i, old, old);
    }
    outbox("recent-published", recent, recent);
    outbox("old-unpublished", old, null);
    inbox("old-applied-1", old);
    inbox("old-applied-2", old);
    inbox("recent-applied", recent);

    retention.forgetAsLeader();

    assertThat(ids("select message_id from message_outbox where message_id not like 'old-pub%'"))
        .containsExactlyInAnyOrder("recent-published", "old-unpublished");
    assertThat(ids("select message_id from message_outbox where message_id like 'old-pub%'"))
        .isEmpty();
    assertThat(ids("select message_id from promo_inbox where message_id like '%-applied%'"))
        .containsExactly("recent-applied");
  }

  private void outbox(String id, long createdAt, Long publishedAt) {
    jdbc.sql(
            "insert into message_outbox (message_id, message_type, payload, created_at_ms,"
                + " published_at_ms) values (?, 'Test', '{}', ?, ?)")
        .params(id, createdAt, publishedAt)
        .update();
  }

  private void inbox(String id, long at) {
    jdbc.sql(
            "insert into promo_inbox (message_id, message_type, processed_at_ms) values (?, 'Test', ?)")
        .params(id, at)
        .update();
  }

  private List<String> ids(String sql) {
    return jdbc.sql(sql).query(String.class).list();
  }
}
