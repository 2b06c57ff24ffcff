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

ensure_postgres() {
  listening 5432 && return 0
  local fresh=""
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then apt_install postgresql || return 1; fresh=1; fi
  local version; version=$(ls /etc/postgresql | sort -V | tail -n 1)
  if [ -n "$fresh" ]; then
    sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/; s/^(local\s+all\s+all\s+)\S+/\1trust/' \
      "/etc/postgresql/$version/main/pg_hba.conf"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  wait_for 5432 PostgreSQL || return 1
  su postgres -c "psql -tAc \"select 1 from pg_database where datname = 'test'\"" | grep -q 1 ||
    su postgres -c "createdb test"
}

ensure_mariadb() {
  listening 3306 && return 0
  local fresh=""
  if [ ! -x /usr/sbin/mariadbd ]; then apt_install mariadb-server || return 1; fresh=1; fi
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  wait_for 3306 MariaDB || return 1
  if [ -n "$fresh" ]; then
    mariadb -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD(''); CREATE DATABASE IF NOT EXISTS test;"
  fi
}

ensure_redis() {
  listening 6379 && return 0
  command -v redis-server >/dev/null || apt_install redis-server || return 1
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  wait_for 6379 Redis
}

ensure_rabbitmq() {
  listening 5672 && return 0
  command -v rabbitmq-server >/dev/null || apt_install rabbitmq-server || return 1
  rabbitmq-server -detached
  wait_for 5672 RabbitMQ
}

status=0
for service in postgres mariadb redis rabbitmq; do
  "ensure_$service" || status=1
done
exit $status
