-- The lock table of JdbcLeaseDriver (the app creates it with Flyway, as V2__distributed_lock.sql).
create table distributed_lock (
  lock_name       varchar(128) not null primary key,
  owner           varchar(64),
  lease_until_ms  bigint       not null,
  fence           bigint       not null
);
