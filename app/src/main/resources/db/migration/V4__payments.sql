-- Payments (owned by the payment module). One migration for H2, PostgreSQL and MySQL/MariaDB.
-- Ids are compared byte for byte everywhere: ASCII only, and no case-insensitive collation matters
-- for them (out_trade_no and notification ids come from us or are checked by signature).

-- One row per payment attempt of an order (out_trade_no is what the provider knows us by).
create table payment (
  out_trade_no    varchar(32)  not null primary key,
  order_no        varchar(24)  not null,
  user_id         varchar(64)  not null,
  provider        varchar(16)  not null,
  amount_cents    bigint       not null,
  -- PENDING → PAID | FAILED | REVIEW | REFUND_NEEDED
  status          varchar(16)  not null,
  -- the highest fencing token that changed this row: a settler whose lock lapsed is refused
  fence           bigint       not null default 0,
  transaction_id  varchar(64),
  reason          varchar(200),
  created_at_ms   bigint       not null,
  settled_at_ms   bigint,
  queries         int          not null default 0,
  queried_at_ms   bigint
);
create index payment_by_order on payment (order_no);
create index payment_by_status on payment (status, created_at_ms);

-- The inbox: every notification that passed its signature check, recorded before it is answered,
-- once per (provider, notification id); settled asynchronously.
create table payment_notification (
  provider        varchar(16)   not null,
  notify_id       varchar(128)  not null,
  out_trade_no    varchar(64)   not null,
  transaction_id  varchar(64),
  amount_cents    bigint        not null,
  trade_state     varchar(16)   not null,
  merchant_id     varchar(64),
  app_id          varchar(64),
  payload         varchar(4000) not null,
  received_at_ms  bigint        not null,
  -- null until settled; then APPLIED | DUPLICATE | IGNORED | REVIEW | REFUND_NEEDED
  outcome         varchar(16),
  reason          varchar(200),
  settled_at_ms   bigint,
  attempts        int           not null default 0,
  primary key (provider, notify_id)
);
create index payment_notification_unsettled on payment_notification (settled_at_ms, received_at_ms);
create index payment_notification_by_outcome on payment_notification (outcome, received_at_ms);

-- The idempotency record: one per provider trade that was settled, whatever its notifications.
create table payment_settlement (
  provider        varchar(16)  not null,
  transaction_id  varchar(64)  not null,
  out_trade_no    varchar(32)  not null,
  outcome         varchar(16)  not null,
  fence           bigint       not null,
  settled_at_ms   bigint       not null,
  primary key (provider, transaction_id)
);

-- The payment module's outbox: each fact other modules (and processes) must learn of, written in
-- the transaction that made it true, so none is lost between the commit and the publish. A relay
-- publishes and marks rows (the after-payment saga).
create table payment_outbox (
  event_id        varchar(64)   not null primary key,
  event_type      varchar(64)   not null,
  payload         varchar(2000) not null,
  created_at_ms   bigint        not null,
  published_at_ms bigint
);
create index payment_outbox_unpublished on payment_outbox (published_at_ms, created_at_ms);
