package io.railrush.app.payment;

/**
 * A notification whose signature checked out, read into what settlement needs. Nothing here is
 * trusted beyond "the provider said it": amounts, merchant and app ids are compared with the
 * payment and the configuration at settlement.
 *
 * @param provider who sent it
 * @param notifyId unique per notification of this provider (a retry of one notification repeats it)
 * @param outTradeNo our payment's id, as we gave it to the provider
 * @param transactionId the provider's own id of the trade (null when it has none yet)
 * @param amountCents the amount the provider states, in cents
 * @param state the trade's state
 * @param merchantId the merchant the notification is for (WeChat mchid, Alipay seller_id; null for
 *     sim)
 * @param appId the application it is for (WeChat appid, Alipay app_id; null for sim)
 * @param payload the notification as received (decrypted resource for WeChat), kept for review
 */
record VerifiedNotification(
    Provider provider,
    String notifyId,
    String outTradeNo,
    String transactionId,
    long amountCents,
    TradeState state,
    String merchantId,
    String appId,
    String payload) {}
