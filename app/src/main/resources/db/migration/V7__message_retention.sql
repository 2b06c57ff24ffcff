-- Records of applied messages are deleted after railrush.messaging.keep-done (oldest first).
create index promo_inbox_by_time on promo_inbox (processed_at_ms);
