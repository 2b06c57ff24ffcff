-- Distributed locks on the database (kit: JdbcLeaseDriver; the same DDL as kit's distributed_lock.sql).
create table distributed_lock (
  lock_name       varchar(128) not null primary key,
  owner           varchar(64),
  lease_until_ms  bigint       not null,
  fence           bigint       not null
);
