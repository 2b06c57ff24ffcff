package io.railrush.app.web;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.railrush.kit.BackendUnavailableException;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A backend that cannot answer is 503 BUSY with Retry-After; anything else — a bug — is a 500. Each
 * failure is thrown by a handler, the way a real call would surface it.
 */
class FailureMappingTest {

  @RestController
  static class Failing {
    @GetMapping("/fail/{kind}")
    String fail(@PathVariable String kind) {
      Supplier<RuntimeException> failure =
          switch (kind) {
            case "redis" -> () -> new BackendUnavailableException("redis", "connection refused");
            case "pool" ->
                () -> new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection");
            case "deadlock" -> () -> new CannotAcquireLockException("deadlock loser");
            case "bad-sql" ->
                () -> new BadSqlGrammarException("select", "selec 1", new SQLException("syntax"));
            case "npe" -> NullPointerException::new;
            default -> () -> new IllegalStateException(kind);
          };
      throw failure.get();
    }
  }

  private final MockMvc mvc =
      MockMvcBuilders.standaloneSetup(new Failing())
          .setControllerAdvice(new ProblemAdvice())
          .build();

  @ParameterizedTest
  @CsvSource({"redis, 503, BUSY", "pool, 503, BUSY", "deadlock, 503, BUSY"})
  void aBackendThatCannotAnswerIsBusy(String kind, int statusCode, String code) throws Exception {
    mvc.perform(get("/fail/" + kind))
        .andExpect(status().is(statusCode))
        .andExpect(jsonPath("$.code").value(code))
        .andExpect(header().string("Retry-After", "1"));
  }

  @ParameterizedTest
  @CsvSource({"bad-sql", "npe", "illegal-state"})
  void aBugIsAnInternalErrorNeverBusy(String kind) throws Exception {
    mvc.perform(get("/fail/" + kind))
        .andExpect(status().isInternalServerError())
        .andExpect(jsonPath("$.code").value("INTERNAL_ERROR"));
  }
}
