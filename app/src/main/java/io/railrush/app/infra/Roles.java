package io.railrush.app.infra;

import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What this process does ({@code railrush.roles}); default: all of them.
 *
 * @param roles the roles this process runs
 */
@ConfigurationProperties("railrush")
public record Roles(@DefaultValue({"web", "order", "payment", "sweeper"}) Set<Role> roles) {

  public enum Role {
    /** the HTTP API */
    WEB,
    /** writes accepted grabs as orders (consumes the grab bus) */
    ORDER,
    /** settles recorded payment notifications (consumes the payment bus) */
    PAYMENT,
    /** payment timeouts and reservation reconciliation; leader-elected, one runs per cluster */
    SWEEPER
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }
}
