-- When a notification about the payment was last recorded. The inbox writer sets it in the
-- transaction that records the notification, which holds the payment's row lock until it commits:
-- the payment-window sweeper takes the same lock before it decides to cancel the order.
alter table payment add column notified_at_ms bigint;
