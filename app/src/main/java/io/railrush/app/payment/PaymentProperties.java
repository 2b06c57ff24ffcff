package io.railrush.app.payment;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;

/**
 * {@code railrush.payment.*}. No provider has a default key in any mode; the simulator's dev secret
 * is set by the embedded profile only. A provider without its settings answers its notification
 * endpoint 404.
 *
 * @param queryAfter a payment still unsettled this long after it was created is asked for at the
 *     provider (a lost notification)
 * @param queryEvery how often the (leader-elected) lost-notification query looks for such payments
 * @param redriveEvery how often the (leader-elected) inbox redrive settles notifications left
 *     unsettled for 10 s (a lost wake-up, a dead settler)
 * @param notificationMaxAge a notification whose timestamp is further than this from now is refused
 * @param bus how settlers learn of recorded notifications: {@code in-process} (embedded) or {@code
 *     rabbitmq} (a quorum queue; the cluster profile sets it). Either way the inbox table is the
 *     record and a sweeper settles anything a lost message left behind
 * @param busName the RabbitMQ exchange; queues are {@code <name>.notified} and {@code <name>.dead}
 * @param settlers concurrent settlements per payment-role node (cluster): settlement shares the
 *     machine with the endpoint that must answer providers at once, so it is kept narrow and drains
 *     the queue at its own pace
 * @param sim the built-in simulator
 * @param wechat WeChat Pay API v3
 * @param alipay Alipay
 */
@ConfigurationProperties("railrush.payment")
public record PaymentProperties(
    @DefaultValue("2m") Duration queryAfter,
    @DefaultValue("5s") Duration queryEvery,
    @DefaultValue("5s") Duration redriveEvery,
    @DefaultValue("5m") Duration notificationMaxAge,
    @DefaultValue("in-process") Bus bus,
    @DefaultValue("railrush.payment") String busName,
    @DefaultValue("2") int settlers,
    @DefaultValue Sim sim,
    @DefaultValue WeChat wechat,
    @DefaultValue Alipay alipay) {

  public enum Bus {
    /** a worker in this JVM polls the inbox */
    IN_PROCESS,
    /** a RabbitMQ quorum queue carries the inbox keys to payment-role nodes */
    RABBITMQ
  }

  /**
   * @param secret the HMAC-SHA256 key of {@code X-Sim-Signature}
   * @param queryUrl the simulator's trade-state query endpoint ({@code GET <url>/{outTradeNo}})
   * @param cashier whether {@code POST /api/v1/payments/sim/{outTradeNo}/pay} plays the buyer
   *     paying at the simulator (for the buyer page and demos; embedded mode turns it on)
   */
  public record Sim(String secret, String queryUrl, @DefaultValue("false") boolean cashier) {
    boolean configured() {
      return secret != null && !secret.isBlank();
    }
  }

  /**
   * @param mchId our merchant id
   * @param appId our application id
   * @param apiV3Key the APIv3 key (32 bytes) that decrypts notification resources
   * @param platformSerial the serial (id) of the WeChat Pay platform public key
   * @param platformPublicKey where the platform public key (PEM) is, e.g. {@code
   *     file:/etc/railrush/wechatpay.pem}
   * @param merchantSerial the serial number of our merchant API certificate, sent with each signed
   *     request
   * @param merchantPrivateKey where our merchant API private key (PKCS#8 PEM) is: it signs the
   *     trade queries that settle a payment whose notification never came; without it (or the
   *     serial) WeChat Pay payments wait for their notifications
   * @param apiUrl WeChat Pay's API host (a test's, or a proxy's)
   */
  public record WeChat(
      String mchId,
      String appId,
      String apiV3Key,
      String platformSerial,
      Resource platformPublicKey,
      String merchantSerial,
      Resource merchantPrivateKey,
      @DefaultValue(WeChatPayTradeQuery.DEFAULT_API_URL) String apiUrl) {

    public WeChat {
      if ((merchantSerial == null) != (merchantPrivateKey == null)) {
        throw new IllegalArgumentException(
            "railrush.payment.wechat.merchant-serial and .merchant-private-key go together: set"
                + " both (lost notifications are then asked about) or neither");
      }
    }

    boolean configured() {
      return mchId != null
          && appId != null
          && apiV3Key != null
          && platformSerial != null
          && platformPublicKey != null;
    }

    boolean canQuery() {
      return configured() && merchantSerial != null;
    }
  }

  /**
   * @param appId our application id
   * @param sellerId our seller (partner) id
   * @param alipayPublicKey where Alipay's public key (PEM) is
   * @param appPrivateKey where our application's private key (PKCS#8 PEM) is: it signs the trade
   *     queries that settle a payment whose notification never came; without it Alipay payments
   *     wait for their notifications
   * @param gatewayUrl Alipay's open API gateway
   */
  public record Alipay(
      String appId,
      String sellerId,
      Resource alipayPublicKey,
      Resource appPrivateKey,
      @DefaultValue("https://openapi.alipay.com/gateway.do") String gatewayUrl) {
    boolean configured() {
      return appId != null && sellerId != null && alipayPublicKey != null;
    }

    boolean canQuery() {
      return configured() && appPrivateKey != null;
    }
  }
}
