-- Orders (owned by the order module). One migration for H2, PostgreSQL and MySQL/MariaDB.
create table ticket_order (
  order_no        varchar(24)  not null primary key,
  run_id          varchar(32)  not null,
  user_id         varchar(64)  not null,
  status          varchar(16)  not null,
  amount_cents    bigint       not null,
  coupon_id       varchar(64),
  -- the user id while the order holds a seat (CREATED, PAID), null once it does not: the unique
  -- key below is "one active order per user per run" on every database (NULLs never collide,
  -- and MySQL has no partial indexes)
  active_user_id  varchar(64),
  failure_reason  varchar(200),
  accepted_at_ms  bigint       not null,
  created_at_ms   bigint       not null,
  paid_at_ms      bigint,
  closed_at_ms    bigint,
  constraint ticket_order_one_active_per_user unique (run_id, active_user_id)
);

create index ticket_order_by_user on ticket_order (user_id, accepted_at_ms);
create index ticket_order_by_status on ticket_order (status, created_at_ms);
create index ticket_order_by_run on ticket_order (run_id, status);

-- Embedded mode's message bus (owned by the grab module): accepted grabs wait here, durably,
-- until the order writer has written them; a row is deleted in the same transaction as its order.
create table grab_outbox (
  order_no        varchar(24)   not null primary key,
  payload         varchar(1000) not null,
  attempts        int           not null default 0,
  accepted_at_ms  bigint        not null
);
