package io.railrush.app.infra;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * A condition on the typed configuration: binds the {@code @ConfigurationProperties} record the way
 * the application will (defaults, enum conversion, validation of names) and asks it, so a condition
 * never repeats a default or compares property strings. A misspelled value fails here with the
 * binder's message listing the valid values.
 */
public abstract class BoundCondition<T> extends SpringBootCondition {

  private final String prefix;
  private final Class<T> type;

  protected BoundCondition(String prefix, Class<T> type) {
    this.prefix = prefix;
    this.type = type;
  }

  protected abstract boolean matches(T properties);

  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    T properties = Binder.get(context.getEnvironment()).bindOrCreate(prefix, type);
    String description = getClass().getSimpleName() + " on " + properties;
    return matches(properties)
        ? ConditionOutcome.match(description)
        : ConditionOutcome.noMatch(description);
  }
}
