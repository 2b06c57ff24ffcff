package io.railrush.app.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;

/**
 * WeChat Pay's order query through the official SDK against a host that checks our merchant
 * signature and signs its answers as WeChat Pay does: a paid trade is read, an unknown one is "no
 * answer", and an answer that is not WeChat Pay's (another key, no signature, an amount changed
 * after signing) is an error, never a notification.
 */
class WeChatPayTradeQueryTest {

  private final WeChatPaySimulator wechat = new WeChatPaySimulator();
  private final WeChatPayGateway gateway = new WeChatPayGateway(wechat);
  private final WeChatPayTradeQuery query = new WeChatPayTradeQuery(gateway.properties());

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void aPaidTradeIsReadAsAVerifiedNotification() throws IOException {
    gateway.trade("P1", new WeChatPayGateway.Trade("4200000001202612030001", "SUCCESS", 55300));

    VerifiedNotification answer = query.ask("P1").orElseThrow();

    assertThat(answer.provider()).isEqualTo(Provider.WECHAT);
    assertThat(answer.outTradeNo()).isEqualTo("P1");
    assertThat(answer.transactionId()).isEqualTo("4200000001202612030001");
    assertThat(answer.amountCents()).isEqualTo(55300);
    assertThat(answer.state()).isEqualTo(TradeState.PAID);
    assertThat(answer.notifyId()).isEqualTo("query-4200000001202612030001-SUCCESS");
    assertThat(answer.merchantId()).isEqualTo(wechat.mchId());
    assertThat(answer.appId()).isEqualTo(wechat.appId());
    assertThat(query.ask("P1")).as("the same answer, the same notification id").contains(answer);
  }

  @Test
  void aTradeStillWaitingOrClosedIsReadAsSuch() throws IOException {
    gateway.trade("P2", new WeChatPayGateway.Trade(null, "NOTPAY", 1000));
    gateway.trade("P3", new WeChatPayGateway.Trade(null, "CLOSED", 1000));
    assertThat(query.ask("P2"))
        .get()
        .extracting(VerifiedNotification::state)
        .isEqualTo(TradeState.WAITING);
    assertThat(query.ask("P3"))
        .get()
        .extracting(VerifiedNotification::state)
        .isEqualTo(TradeState.CLOSED);
  }

  @Test
  void anUnknownTradeIsNoAnswer() throws IOException {
    assertThat(query.ask("P404")).isEqualTo(Optional.empty());
    assertThat(gateway.queries()).isEqualTo(1);
  }

  @Test
  void anAnswerSignedWithAnotherKeyIsAnError() {
    gateway.trade("P4", new WeChatPayGateway.Trade("4200000001202612030004", "SUCCESS", 55300));
    gateway.signAnswersWithForeignKey();
    assertThatThrownBy(() -> query.ask("P4")).isInstanceOf(IOException.class);
  }

  @Test
  void anUnsignedAnswerIsAnError() {
    gateway.trade("P8", new WeChatPayGateway.Trade("4200000001202612030008", "SUCCESS", 55300));
    gateway.leaveAnswersUnsigned();
    assertThatThrownBy(() -> query.ask("P8")).isInstanceOf(IOException.class);
  }

  @Test
  void anAnswerChangedAfterSigningIsAnError() {
    gateway.trade("P5", new WeChatPayGateway.Trade("4200000001202612030005", "SUCCESS", 55300));
    gateway.changeAmountAfterSigning(1);
    assertThatThrownBy(() -> query.ask("P5")).isInstanceOf(IOException.class);
  }

  @Test
  void aQueryNotSignedWithOurKeyIsRefusedByTheHost() {
    gateway.trade("P6", new WeChatPayGateway.Trade("4200000001202612030006", "SUCCESS", 55300));
    PaymentProperties.WeChat ours = gateway.properties();
    WeChatPayGateway other = new WeChatPayGateway(wechat); // another merchant key pair
    try {
      WeChatPayTradeQuery wrongKey =
          new WeChatPayTradeQuery(
              with(
                  ours,
                  ours.merchantSerial(),
                  new FileSystemResource(other.merchantPrivateKeyPem()),
                  ours.apiUrl()));
      assertThatThrownBy(() -> wrongKey.ask("P6"))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("401")
          .hasMessageContaining("SIGN_ERROR");
    } finally {
      other.close();
    }
  }

  @Test
  void anUnreachableHostIsAnError() {
    gateway.close();
    assertThatThrownBy(() -> query.ask("P7")).isInstanceOf(IOException.class);
  }

  @Test
  void anAnswerAboutAnotherTradeIsAnError() {
    gateway.trade("P9", new WeChatPayGateway.Trade("4200000001202612030009", "SUCCESS", 55300));
    gateway.answerAbout("P10");
    assertThatThrownBy(() -> query.ask("P9"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("P10");
  }

  @Test
  void paidWithoutATransactionIdIsAnError() {
    gateway.trade("P11", new WeChatPayGateway.Trade(null, "SUCCESS", 55300));
    assertThatThrownBy(() -> query.ask("P11"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("transaction_id");
  }

  @Test
  void anAnswerWithoutAnAmountIsAnError() {
    gateway.trade("P12", new WeChatPayGateway.Trade("4200000001202612030012", "SUCCESS", 55300));
    gateway.trade("P13", new WeChatPayGateway.Trade(null, "CLOSED", 55300));
    gateway.leaveAmountOut();
    assertThatThrownBy(() -> query.ask("P12")).hasMessageContaining("amount.total");
    assertThatThrownBy(() -> query.ask("P13")).hasMessageContaining("amount.total");
  }

  @Test
  void anOverLongTransactionIdIsAnError() {
    gateway.trade("P16", new WeChatPayGateway.Trade("42".repeat(33), "SUCCESS", 55300));
    assertThatThrownBy(() -> query.ask("P16"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("too long");
  }

  @Test
  void anUnknownTradeStateIsAnError() {
    gateway.trade("P14", new WeChatPayGateway.Trade("4200000001202612030014", "MOVED_ON", 55300));
    assertThatThrownBy(() -> query.ask("P14"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("trade_state");
  }

  @Test
  void aProxysErrorPageIsAnErrorNotAnUnknownTrade() {
    gateway.failAsBadGateway();
    assertThatThrownBy(() -> query.ask("P15")).isInstanceOf(IOException.class);
  }

  @Test
  void anApiUrlWithAPathIsRefusedAtStartup() {
    PaymentProperties.WeChat ours = gateway.properties();
    assertThatThrownBy(
            () ->
                new WeChatPayTradeQuery(
                    with(
                        ours,
                        ours.merchantSerial(),
                        ours.merchantPrivateKey(),
                        ours.apiUrl() + "/v3")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aMerchantSerialWithoutItsKeyIsRefusedAtStartup() {
    PaymentProperties.WeChat ours = gateway.properties();
    assertThatThrownBy(() -> with(ours, ours.merchantSerial(), null, ours.apiUrl()).canQuery())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("merchant-private-key");
  }

  /** Our configuration with other merchant settings. */
  private static PaymentProperties.WeChat with(
      PaymentProperties.WeChat ours,
      String merchantSerial,
      Resource merchantPrivateKey,
      String apiUrl) {
    return new PaymentProperties.WeChat(
        ours.mchId(),
        ours.appId(),
        ours.apiV3Key(),
        ours.platformSerial(),
        ours.platformPublicKey(),
        merchantSerial,
        merchantPrivateKey,
        apiUrl);
  }
}
