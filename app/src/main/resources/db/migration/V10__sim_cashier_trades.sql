-- The payment simulator's own ledger of trades paid at its cashier (embedded mode): written before
-- the buyer is answered, so a node that dies before its notification is recorded can still be asked
-- about the trade after a restart, as a provider is asked about a lost notification.
create table sim_cashier_trade (
  out_trade_no    varchar(32)  not null primary key,
  transaction_id  varchar(64)  not null,
  amount_cents    bigint       not null,
  paid_at_ms      bigint       not null
);
