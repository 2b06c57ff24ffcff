package io.railrush.app.infra;

import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What this process does ({@code railrush.roles}): {@code web} (the HTTP API), {@code order}
 * (writes accepted grabs as orders), {@code sweeper} (payment timeouts, reservation reconciliation;
 * leader-elected, so one runs per cluster). Default: all of them.
 */
@ConfigurationProperties("railrush")
public record Roles(@DefaultValue({"web", "order", "sweeper"}) Set<String> roles) {

  public static final String ORDER = "order";
  public static final String SWEEPER = "sweeper";

  public boolean has(String role) {
    return roles.contains(role);
  }
}
