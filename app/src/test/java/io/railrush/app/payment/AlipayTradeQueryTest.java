package io.railrush.app.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code alipay.trade.query} through the official SDK against a gateway that checks our signature
 * and signs its answers as Alipay does: a paid trade is read, an unknown one is "no answer", and an
 * answer that is not Alipay's (another key, an amount changed after signing) is an error, never a
 * notification.
 */
class AlipayTradeQueryTest {

  private final AlipaySimulator alipay = new AlipaySimulator();
  private final AlipayGateway gateway = new AlipayGateway(alipay);
  private final AlipayTradeQuery query = new AlipayTradeQuery(gateway.properties());

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void aPaidTradeIsReadAsAVerifiedNotification() throws IOException {
    gateway.trade("P1", new AlipayGateway.Trade("2026120322001", "TRADE_SUCCESS", "553.00"));

    VerifiedNotification answer = query.ask("P1").orElseThrow();

    assertThat(answer.provider()).isEqualTo(Provider.ALIPAY);
    assertThat(answer.outTradeNo()).isEqualTo("P1");
    assertThat(answer.transactionId()).isEqualTo("2026120322001");
    assertThat(answer.amountCents()).isEqualTo(55300);
    assertThat(answer.state()).isEqualTo(TradeState.PAID);
    assertThat(answer.notifyId()).isEqualTo("query-2026120322001-TRADE_SUCCESS");
    assertThat(answer.appId()).isEqualTo(alipay.appId());
    assertThat(answer.merchantId()).isEqualTo(alipay.sellerId());
    assertThat(query.ask("P1")).as("the same answer, the same notification id").contains(answer);
  }

  @Test
  void aTradeStillWaitingOrClosedIsReadAsSuch() throws IOException {
    gateway.trade("P2", new AlipayGateway.Trade("2026120322002", "WAIT_BUYER_PAY", "10.00"));
    gateway.trade("P3", new AlipayGateway.Trade("2026120322003", "TRADE_CLOSED", "10.00"));
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
    gateway.trade("P4", new AlipayGateway.Trade("2026120322004", "TRADE_SUCCESS", "553.00"));
    gateway.signAnswersWithForeignKey();
    assertThatThrownBy(() -> query.ask("P4")).isInstanceOf(IOException.class);
  }

  @Test
  void anUnsignedAnswerIsAnError() {
    gateway.trade("P8", new AlipayGateway.Trade("2026120322008", "TRADE_SUCCESS", "553.00"));
    gateway.leaveAnswersUnsigned();
    assertThatThrownBy(() -> query.ask("P8")).isInstanceOf(IOException.class);
  }

  @Test
  void anAnswerChangedAfterSigningIsAnError() {
    gateway.trade("P5", new AlipayGateway.Trade("2026120322005", "TRADE_SUCCESS", "553.00"));
    gateway.changeAmountAfterSigning("0.01");
    assertThatThrownBy(() -> query.ask("P5")).isInstanceOf(IOException.class);
  }

  @Test
  void aQueryNotSignedWithOurKeyIsRefusedByTheGateway() {
    gateway.trade("P6", new AlipayGateway.Trade("2026120322006", "TRADE_SUCCESS", "553.00"));
    PaymentProperties.Alipay ours = gateway.properties();
    AlipayGateway other = new AlipayGateway(alipay); // another application's key pair
    try {
      AlipayTradeQuery wrongKey =
          new AlipayTradeQuery(
              new PaymentProperties.Alipay(
                  ours.appId(),
                  ours.sellerId(),
                  ours.alipayPublicKey(),
                  other.properties().appPrivateKey(),
                  ours.gatewayUrl()));
      assertThatThrownBy(() -> wrongKey.ask("P6"))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("40002");
    } finally {
      other.close();
    }
  }

  @Test
  void anUnreachableGatewayIsAnError() {
    gateway.close();
    assertThatThrownBy(() -> query.ask("P7")).isInstanceOf(IOException.class);
  }
}
