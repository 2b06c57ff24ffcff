package io.railrush.app.payment;

import java.io.IOException;
import java.util.Optional;

/**
 * Asks a provider for the state of one trade (what merchants do when a notification is lost). The
 * answer is verified like a notification and settled through the same inbox.
 */
interface TradeQuery {

  /**
   * @return the provider's verified answer, empty when the provider does not know the trade
   * @throws IOException when the provider could not be asked or its answer does not check out
   */
  Optional<VerifiedNotification> ask(String outTradeNo) throws IOException, InterruptedException;

  /**
   * The notification id of a provider's answer: {@code query-<trade>-<status>}, so asking twice and
   * getting the same answer records it once.
   *
   * @param tradeNo the provider's trade number, or null when it has none yet (then {@code
   *     outTradeNo})
   */
  static String answerId(String tradeNo, String outTradeNo, Object status) {
    return "query-" + (tradeNo == null ? outTradeNo : tradeNo) + "-" + status;
  }
}
