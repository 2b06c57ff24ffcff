#!/usr/bin/env bash
# Makes sure the services the tests and cluster mode use run on this machine: PostgreSQL (5432),
# MariaDB (3306), Redis (6379), RabbitMQ (5672). Starts what is stopped; installs (apt) what is
# missing, configured as the tests expect (local trust/empty-password access, database "test").
set -uo pipefail

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {
  local port=$1 name=$2
  for _ in $(seq 1 60); do listening "$port" && return 0; sleep 1; done
  echo "local-services: $name did not come up on port $port" >&2
  return 1
}

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then echo "local-services: run as root to install $*" >&2; return 1; fi
  if [ -z "${RAILRUSH_APT_UPDATED:-}" ]; then apt-get update -qq && RAILRUSH_APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

fail() { echo "local-services: $*" >&2; return 1; }

# What the tests need of PostgreSQL: user postgres over TCP without a password, database "test".
postgres_ready() {
  psql -h 127.0.0.1 -U postgres -d test -w -tAc 'select 1' 2>/dev/null | grep -qx 1
}

ensure_postgres() {
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    apt_install postgresql || fail "PostgreSQL could not be installed" || return 1
  fi
  local version; version=$(ls /etc/postgresql | sort -V | tail -n 1)
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  if ! listening 5432; then
    pg_ctlcluster --skip-systemctl-redirect "$version" main start ||
      fail "PostgreSQL $version did not start (pg_ctlcluster exit $?)" || return 1
    wait_for 5432 PostgreSQL || return 1
  fi
  postgres_ready && return 0
  # running, but not as the tests expect: local trust access (this machine only), then reload —
  # a package-started server has read its pg_hba.conf already
  if [ -w "$hba" ] && ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
    sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/; s/^(local\s+all\s+all\s+)\S+/\1trust/' "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload ||
      fail "PostgreSQL did not reload $hba" || return 1
  fi
  if ! psql -h 127.0.0.1 -U postgres -w -tAc "select 1 from pg_database where datname = 'test'" 2>/dev/null | grep -qx 1; then
    psql -h 127.0.0.1 -U postgres -w -qc 'create database test' >/dev/null 2>&1 ||
      su postgres -c "createdb test" 2>/dev/null
  fi
  postgres_ready || fail "PostgreSQL runs but user postgres cannot reach database test over 127.0.0.1 without a password (see $hba)"
}

# What the tests need of MariaDB: root over TCP with an empty password, database "test".
mariadb_ready() {
  mariadb -h 127.0.0.1 -u root --password= -e 'use test' 2>/dev/null
}

ensure_mariadb() {
  if [ ! -x /usr/sbin/mariadbd ]; then
    apt_install mariadb-server || fail "MariaDB could not be installed" || return 1
  fi
  if ! listening 3306; then
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd ||
      fail "MariaDB did not start (start-stop-daemon exit $?)" || return 1
    wait_for 3306 MariaDB || return 1
  fi
  mariadb_ready && return 0
  # a fresh install lets root in only through the unix socket (as the OS root), and TCP from
  # 127.0.0.1 is not 'localhost': give root@127.0.0.1 an empty password (this machine only; the
  # socket login stays as it was) and create the database
  mariadb -u root -e "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED VIA mysql_native_password USING PASSWORD(''); ALTER USER 'root'@'127.0.0.1' IDENTIFIED VIA mysql_native_password USING PASSWORD(''); GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION; CREATE DATABASE IF NOT EXISTS test;" 2>/dev/null ||
    mariadb -h 127.0.0.1 -u root --password= -e 'CREATE DATABASE IF NOT EXISTS test' 2>/dev/null
  mariadb_ready || fail "MariaDB runs but root cannot reach database test over 127.0.0.1 with an empty password"
}

ensure_redis() {
  listening 6379 && return 0
  command -v redis-server >/dev/null || apt_install redis-server || fail "Redis could not be installed" || return 1
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no ||
    fail "Redis did not start (redis-server exit $?)" || return 1
  wait_for 6379 Redis
}

ensure_rabbitmq() {
  if ! listening 5672; then
    command -v rabbitmq-server >/dev/null || apt_install rabbitmq-server || fail "RabbitMQ could not be installed" || return 1
    rabbitmq-server -detached || fail "RabbitMQ did not start (rabbitmq-server exit $?)" || return 1
    wait_for 5672 RabbitMQ || return 1
  fi
  bound_dead_letters
}

# The settlement bus's dead letters are only wake-ups (the inbox row is the record, and the sweep
# settles anything unsettled), so its dead-letter queue keeps the first 100,000 and drops the rest.
# The grab bus's dead letters stay unbounded: each is a grab a buyer was told was accepted. A
# policy, not a queue argument: it can be changed on a running broker, where a changed argument
# would make every node's redeclaration of the queue fail.
bound_dead_letters() {
  rabbitmqctl -q set_policy --apply-to queues railrush-settlement-dead-letters '^railrush.*\.payment\.dead$' \
    '{"max-length":100000,"overflow":"reject-publish"}' >/dev/null ||
    fail "RabbitMQ runs but the dead-letter policy could not be set (rabbitmqctl exit $?)"
}

failed=()
for service in postgres mariadb redis rabbitmq; do
  "ensure_$service" || failed+=("$service")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "local-services: NOT READY: ${failed[*]}" >&2
  exit 1
fi
