-- The transactional outbox every module's external events go through: a row written in the
-- transaction that made the fact true, claimed by a relay under a lease, marked when handed on.
create table message_outbox (
  message_id      varchar(100)  not null primary key,
  message_type    varchar(64)   not null,
  payload         varchar(4000) not null,
  created_at_ms   bigint        not null,
  -- the relay holding the row, until when; an expired lease is anyone's to take
  lease_owner     varchar(64),
  lease_until_ms  bigint,
  -- failed in-process deliveries so far (embedded mode's retries)
  attempts        int           not null default 0,
  published_at_ms bigint
);
create index message_outbox_unpublished on message_outbox (published_at_ms, created_at_ms);

-- Messages a consumer gave up on after its retries, until an operator replays them.
create table message_dead_letter (
  consumer        varchar(64)   not null,
  message_id      varchar(100)  not null,
  message_type    varchar(64)   not null,
  payload         varchar(4000) not null,
  attempts        int           not null,
  last_error      varchar(500),
  dead_at_ms      bigint        not null,
  primary key (consumer, message_id)
);

-- PaymentSucceeded now goes through message_outbox.
drop table payment_outbox;

-- The promo module's tables.
create table coupon (
  coupon_id        varchar(40)  not null primary key,
  user_id          varchar(64)  not null,
  amount_off_cents bigint       not null,
  -- AVAILABLE | RESERVED (order_no holds it) | USED (by order_no)
  status           varchar(16)  not null,
  order_no         varchar(24),
  issued_at_ms     bigint       not null,
  updated_at_ms    bigint       not null
);
create index coupon_by_user on coupon (user_id);
create index coupon_by_order on coupon (order_no);

-- One lottery draw per paid order: the key is what makes a second grant impossible.
create table lottery_draw (
  order_no      varchar(24) not null primary key,
  user_id       varchar(64) not null,
  granted_at_ms bigint      not null
);
create index lottery_draw_by_user on lottery_draw (user_id);

-- Messages the promo consumer has applied: a redelivered or duplicated message is found here.
create table promo_inbox (
  message_id      varchar(100) not null primary key,
  message_type    varchar(64)  not null,
  processed_at_ms bigint       not null
);
