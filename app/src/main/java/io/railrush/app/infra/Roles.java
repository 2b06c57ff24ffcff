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
public record Roles(
    @DefaultValue({"web", "order", "payment", "promo", "sweeper"}) Set<Role> roles) {

  public enum Role {
    /** the HTTP API */
    WEB,
    /** writes accepted grabs as orders (consumes the grab bus) */
    ORDER,
    /** settles recorded payment notifications (consumes the payment bus) */
    PAYMENT,
    /** applies after-payment effects: coupons and lottery draws (consumes the promo queue) */
    PROMO,
    /**
     * payment timeouts and reservation reconciliation (leader-elected, one runs per cluster), and
     * the outbox relay (one per sweeper node)
     */
    SWEEPER
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }
}
