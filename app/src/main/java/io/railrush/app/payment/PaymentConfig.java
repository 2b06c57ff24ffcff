package io.railrush.app.payment;

import io.railrush.app.infra.BoundCondition;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.ObjectMapper;

/** The providers this node can verify (those with settings), and the bus choice. */
@Configuration(proxyBeanMethods = false)
class PaymentConfig {

  @Bean
  NotificationVerifiers notificationVerifiers(
      PaymentProperties properties, ObjectMapper json, Clock clock) {
    return new NotificationVerifiers(
        properties.sim().configured()
            ? new SimNotifications(
                properties.sim().secret(), json, clock, properties.notificationMaxAge())
            : null,
        properties.wechat().configured()
            ? new WeChatPayNotifications(
                properties.wechat(), clock, properties.notificationMaxAge())
            : null,
        properties.alipay().configured() ? new AlipayNotifications(properties.alipay()) : null);
  }

  /**
   * The trade queries of the providers that can be asked: the simulator when its query URL is set
   * (else its cashier's own records, when the cashier is on), WeChat Pay when our merchant key and
   * serial are, Alipay when our application's private key is.
   */
  @Bean
  TradeQueries tradeQueries(
      PaymentProperties properties, NotificationVerifiers verifiers, SimCashierTrades cashier) {
    Map<Provider, TradeQuery> queries = new EnumMap<>(Provider.class);
    if (verifiers.sim() != null
        && properties.sim().queryUrl() != null
        && !properties.sim().queryUrl().isBlank()) {
      queries.put(Provider.SIM, new SimTradeQuery(properties.sim().queryUrl(), verifiers.sim()));
    } else if (verifiers.sim() != null && properties.sim().cashier()) {
      queries.put(Provider.SIM, cashier);
    }
    if (properties.wechat().canQuery()) {
      queries.put(Provider.WECHAT, new WeChatPayTradeQuery(properties.wechat()));
    }
    if (properties.alipay().canQuery()) {
      queries.put(Provider.ALIPAY, new AlipayTradeQuery(properties.alipay()));
    }
    return new TradeQueries(Map.copyOf(queries));
  }

  record TradeQueries(Map<Provider, TradeQuery> byProvider) {}

  /** Verifiers of the configured providers; null where a provider has no settings. */
  record NotificationVerifiers(
      SimNotifications sim, WeChatPayNotifications wechat, AlipayNotifications alipay) {

    boolean configured(Provider provider) {
      return switch (provider) {
        case SIM -> sim != null;
        case WECHAT -> wechat != null;
        case ALIPAY -> alipay != null;
      };
    }
  }

  static final class OnInProcessBus extends OnBus {
    OnInProcessBus() {
      super(PaymentProperties.Bus.IN_PROCESS);
    }
  }

  static final class OnRabbitBus extends OnBus {
    OnRabbitBus() {
      super(PaymentProperties.Bus.RABBITMQ);
    }
  }

  private abstract static class OnBus extends BoundCondition<PaymentProperties> {
    private final PaymentProperties.Bus bus;

    OnBus(PaymentProperties.Bus bus) {
      super("railrush.payment", PaymentProperties.class);
      this.bus = bus;
    }

    @Override
    protected boolean matches(PaymentProperties properties) {
      return properties.bus() == bus;
    }
  }
}
