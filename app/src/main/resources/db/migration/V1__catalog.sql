-- One migration for H2, PostgreSQL and MySQL/MariaDB: portable types only; instants are epoch ms.
create table train_run (
  run_id            varchar(32)  not null primary key,
  train_no          varchar(8)   not null,
  departure_date    date         not null,
  origin            varchar(32)  not null,
  destination       varchar(32)  not null,
  departure_time    time         not null,
  seats             int          not null,
  sold              int          not null default 0,
  price_cents       bigint       not null,
  sale_opens_at_ms  bigint,
  created_at_ms     bigint       not null,
  -- the database is the last guard against overselling
  constraint train_run_sold_within_seats check (sold >= 0 and sold <= seats),
  constraint train_run_one_per_day unique (train_no, departure_date)
);

create index train_run_by_route on train_run (origin, destination, departure_date, departure_time);
create index train_run_by_date on train_run (departure_date, departure_time);
