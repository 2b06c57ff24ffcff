#!/usr/bin/env bash
# A whole Railrush cluster on this machine, on loopback: the database, Redis and RabbitMQ
# (deploy/local-services.sh), a 3-server ZooKeeper ensemble from its Maven jar, N stateless web
# nodes and one worker node (order writer, payment settlement, promo, sweepers), behind nginx.
#
#   deploy/cluster.sh up [--nodes N] [--db postgres|mariadb] [--locks redis|zookeeper|database]
#   deploy/cluster.sh status
#   deploy/cluster.sh down
#
# Everything (pids, logs, configuration, generated secrets) lives under $RAILRUSH_CLUSTER_DIR
# (default ./data/cluster). RAILRUSH_* variables set when calling `up` win over generated ones and
# reach every node (e.g. RAILRUSH_ADMIN_TOKEN, RAILRUSH_AUTH_SECRET, RAILRUSH_DEMO_LOGIN=true,
# RAILRUSH_PAYMENT_SIM_SECRET); `. $RAILRUSH_CLUSTER_DIR/secrets.env` gives a shell the values.
# Ports: nginx on 127.0.0.1:$RAILRUSH_LB_PORT (8088), web nodes from 8081, the worker node after
# them, ZooKeeper clients on 2281-2283. nginx limits grabs per client IP to
# $RAILRUSH_LB_IP_RATE requests/s (default 20) with a burst of $RAILRUSH_LB_IP_BURST (default 40);
# RAILRUSH_LB_IP_RATE=0 turns the limit off (a load test from one address).
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/java-home
. deploy/cluster-common.sh
lb_port=${RAILRUSH_LB_PORT:-8088}
say() { echo "cluster: $*"; }
die() { echo "cluster: $*" >&2; exit 1; }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# --- ZooKeeper ensemble -------------------------------------------------------------------------

zk_classpath() {
  local classpath=$dir/zookeeper.classpath
  [ -s "$classpath" ] || ./mvnw -q -B -pl kit dependency:build-classpath \
    -Dmdep.outputFile="$(realpath -m "$classpath")" -Dmdep.includeScope=runtime >/dev/null
  cat "$classpath"
}

start_zookeeper() {
  local classpath servers="" i
  classpath=$(zk_classpath)
  for i in 1 2 3; do servers+="server.$i=127.0.0.1:$((2880 + i)):$((3880 + i))"$'\n'; done
  for i in 1 2 3; do
    local data=$dir/zk$i port=${zk_ports[$((i - 1))]}
    listening "$port" && die "port $port (ZooKeeper $i) is taken"
    mkdir -p "$data"
    echo "$i" > "$data/myid"
    cat > "$data/zoo.cfg" <<CFG
tickTime=500
initLimit=20
syncLimit=10
dataDir=$(realpath "$data")
clientPort=$port
admin.enableServer=false
4lw.commands.whitelist=ruok,srvr,stat
$servers
CFG
    nohup "$JAVA_HOME/bin/java" -Xmx128m -cp "$classpath" \
      org.apache.zookeeper.server.quorum.QuorumPeerMain "$data/zoo.cfg" > "$dir/logs/zk$i.log" 2>&1 &
    echo $! > "$dir/pids/zk$i"
  done
  for _ in $(seq 1 60); do
    local up=0
    for i in 1 2 3; do [ -n "$(zk_mode "$i")" ] && up=$((up + 1)); done
    [ "$up" -eq 3 ] && { say "ZooKeeper ensemble up on ${zk_ports[*]}"; return; }
    sleep 1
  done
  die "the ZooKeeper ensemble did not form; see $dir/logs/zk*.log"
}


# --- the database ------------------------------------------------------------------------------

create_database() {
  case $db in
    postgres)
      psql -h 127.0.0.1 -U postgres -d test -w -q \
        -c 'drop database if exists railrush_cluster with (force)' \
        -c 'create database railrush_cluster' >/dev/null
      jdbc=jdbc:postgresql://127.0.0.1:5432/railrush_cluster db_user=postgres ;;
    mariadb)
      mariadb -h 127.0.0.1 -u root --password= -e 'drop database if exists railrush_cluster;
        create database railrush_cluster character set utf8mb4'
      jdbc=jdbc:mysql://127.0.0.1:3306/railrush_cluster db_user=root ;;
    *) die "--db is postgres or mariadb, not $db" ;;
  esac
}

# --- secrets -----------------------------------------------------------------------------------

write_secrets() {
  local file=$dir/secrets.env
  umask 077
  {
    echo "export RAILRUSH_AUTH_SECRET=${RAILRUSH_AUTH_SECRET:-$(openssl rand -hex 32)}"
    echo "export RAILRUSH_ADMIN_TOKEN=${RAILRUSH_ADMIN_TOKEN:-$(openssl rand -hex 24)}"
    echo "export RAILRUSH_PAYMENT_SIM_SECRET=${RAILRUSH_PAYMENT_SIM_SECRET:-$(openssl rand -hex 32)}"
    echo "export RAILRUSH_LB=http://127.0.0.1:$lb_port"
  } > "$file"
  umask 022
  . "$file"
}

# --- app nodes ---------------------------------------------------------------------------------

start_node() {
  local name=$1 port=$2 roles=$3
  listening "$port" && die "port $port ($name) is taken"
  # every RAILRUSH_* of the caller's environment reaches the node (env inherits it)
  env SPRING_PROFILES_ACTIVE=cluster SPRING_DATASOURCE_URL="$jdbc" SPRING_DATASOURCE_USERNAME="$db_user" \
    RAILRUSH_ROLES="$roles" RAILRUSH_LOCKS="$locks" RAILRUSH_WORKER_IDS="$worker_ids" \
    RAILRUSH_COORDINATION_ZOOKEEPER_CONNECT="127.0.0.1:${zk_ports[0]},127.0.0.1:${zk_ports[1]},127.0.0.1:${zk_ports[2]}" \
    nohup "$JAVA_HOME/bin/java" -Xmx512m -XX:+ExitOnOutOfMemoryError -jar app/target/railrush-app.jar \
    --server.port="$port" \
    --railrush.cache.key-prefix="$ns:cache:" --railrush.grab.key-prefix="$ns:grab:" \
    --railrush.order.key-prefix="$ns:order:" --railrush.coordination.key-prefix="$ns:coordination" \
    --railrush.grab.bus.name="$ns.grab" --railrush.payment.bus-name="$ns.payment" \
    --railrush.messaging.exchange="$ns.events" > "$dir/logs/$name.log" 2>&1 &
  echo $! > "$dir/pids/$name"
  echo "$port" > "$dir/ports/$name"
}

await_node() {
  local name=$1 port; port=$(cat "$dir/ports/$name")
  for _ in $(seq 1 120); do
    alive "$dir/pids/$name" || die "$name exited; see $dir/logs/$name.log"
    curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null && return 0
    sleep 1
  done
  die "$name did not become healthy; see $dir/logs/$name.log"
}

# --- nginx -------------------------------------------------------------------------------------

write_nginx_conf() {
  local rate=${RAILRUSH_LB_IP_RATE:-20} burst=${RAILRUSH_LB_IP_BURST:-40} servers="" limit_zone="" limit=""
  local prefix; prefix=$(realpath "$dir")
  for name in $(web_nodes); do
    servers+="    server 127.0.0.1:$(cat "$dir/ports/$name") max_fails=3 fail_timeout=5s;"$'\n'
  done
  if [ "$rate" != 0 ]; then
    limit_zone="limit_req_zone \$binary_remote_addr zone=grabs_per_ip:10m rate=${rate}r/s;"
    limit="limit_req zone=grabs_per_ip burst=$burst nodelay;"
  fi
  cat > "$dir/nginx.conf" <<CONF
# generated by deploy/cluster.sh
worker_processes 1;
pid $prefix/pids/nginx;
error_log $prefix/logs/nginx-error.log warn;
events { worker_connections 4096; }
http {
  log_format railrush '\$remote_addr [\$time_local] "\$request" \$status \$body_bytes_sent '
                      'rid=\$request_id upstream=\$upstream_addr rt=\$request_time urt=\$upstream_response_time';
  access_log $prefix/logs/nginx-access.log railrush buffer=64k flush=1s;
  client_body_temp_path $prefix/nginx-tmp/body;
  proxy_temp_path $prefix/nginx-tmp/proxy;
  fastcgi_temp_path $prefix/nginx-tmp/fastcgi;
  uwsgi_temp_path $prefix/nginx-tmp/uwsgi;
  scgi_temp_path $prefix/nginx-tmp/scgi;
  client_max_body_size 64k;
  $limit_zone
  limit_req_status 429;

  upstream railrush {
    least_conn;
$servers    keepalive 64;
  }

  server {
    listen 127.0.0.1:$lb_port;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host \$host;
    proxy_set_header X-Request-Id \$request_id;
    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    # the nodes echo the id they were sent; nginx's own copy also covers its own answers (429)
    proxy_hide_header X-Request-Id;
    add_header X-Request-Id \$request_id always;
    proxy_connect_timeout 1s;
    proxy_read_timeout 30s;
    # a failed connection or a node that went away is retried on another node — nginx never
    # retries a POST that reached a node (non_idempotent is not set), so a grab is sent once
    proxy_next_upstream error timeout http_502;
    proxy_next_upstream_tries 2;

    location ~ ^/api/v1/runs/[^/]+/grabs\$ {
      $limit
      error_page 429 = @too_many_from_this_address;
      proxy_pass http://railrush;
    }
    location / {
      proxy_pass http://railrush;
    }
    location @too_many_from_this_address {
      default_type application/problem+json;
      add_header Retry-After 1 always;
      # the nodes echo the id they were sent; nginx's own copy also covers its own answers (429)
    proxy_hide_header X-Request-Id;
    add_header X-Request-Id \$request_id always;
      return 429 '{"type":"https://railrush.io/problems/rate-limited","title":"Too Many Requests","status":429,"detail":"too many grabs from this address","code":"RATE_LIMITED"}';
    }
  }
}
CONF
}

start_nginx() {
  command -v nginx >/dev/null || {
    [ "$(id -u)" -eq 0 ] || die "nginx is missing; run as root to install it"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null 2>&1 ||
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
  }
  listening "$lb_port" && die "port $lb_port (nginx) is taken"
  mkdir -p "$dir/nginx-tmp"
  write_nginx_conf
  nginx -q -t -c "$(realpath "$dir/nginx.conf")" -p "$(realpath "$dir")" 2>&1 | grep -v "^$" || true
  nginx -c "$(realpath "$dir/nginx.conf")" -p "$(realpath "$dir")"
  echo "$lb_port" > "$dir/ports/nginx"
}

web_nodes() { ls "$dir/ports" 2>/dev/null | grep '^web' | sort -V || true; }

# the cluster's Redis keys and RabbitMQ queues (its empty exchanges stay: rabbitmqctl cannot delete one)
forget_namespace() {
  local ns; ns=$(sed -n 's/^ns=//p' "$dir/cluster.env" 2>/dev/null)
  [ -n "$ns" ] || return 0
  redis-cli --scan --pattern "$ns:*" | xargs -r -n 500 redis-cli del >/dev/null 2>&1 || true
  local q
  for q in $(rabbitmqctl -q list_queues name 2>/dev/null | grep "^$ns\." || true); do
    rabbitmqctl -q delete_queue "$q" >/dev/null 2>&1 || true
  done
}

# --- commands ----------------------------------------------------------------------------------

up() {
  local nodes=3
  db=postgres locks=redis
  while [ $# -gt 0 ]; do
    case $1 in
      --nodes) nodes=$2; shift 2 ;;
      --db) db=$2; shift 2 ;;
      --locks) locks=$2; shift 2 ;;
      *) die "unknown option $1 (up [--nodes N] [--db postgres|mariadb] [--locks redis|zookeeper|database])" ;;
    esac
  done
  case $locks in redis|zookeeper|database) ;; *) die "--locks is redis, zookeeper or database" ;; esac
  [ "$nodes" -ge 1 ] 2>/dev/null || die "--nodes is a number ≥ 1"
  worker_ids=$([ "$locks" = zookeeper ] && echo zookeeper || echo redis)
  [ -d "$dir/pids" ] && [ -n "$(ls "$dir/pids")" ] && die "a cluster is up in $dir: deploy/cluster.sh down first"
  mkdir -p "$dir/logs" "$dir/pids" "$dir/ports"
  rm -f "$dir/ports/"*
  deploy/local-services.sh
  if [ ! -f app/target/railrush-app.jar ] ||
    [ -n "$(find pom.xml kit/pom.xml kit/src app/pom.xml app/src -newer app/target/railrush-app.jar -print -quit)" ]; then
    ./mvnw -q -B -DskipTests -pl app -am package
  fi
  # this cluster's own Redis keys and broker queues: nothing of an earlier cluster is read
  ns=railrush-cluster-$(date +%s)
  write_secrets
  create_database
  start_zookeeper
  # the worker first: it migrates the database before the web nodes ask it anything
  start_node worker $((8081 + nodes)) order,payment,promo,sweeper
  await_node worker
  for i in $(seq 1 "$nodes"); do start_node "web$i" $((8080 + i)) web; done
  for i in $(seq 1 "$nodes"); do await_node "web$i"; done
  start_nginx
  cat > "$dir/cluster.env" <<ENV
ns=$ns
db=$db
locks=$locks
nodes=$nodes
jdbc=$jdbc
ENV
  say "up: $nodes web nodes and a worker on $db, locks on $locks, nginx on http://127.0.0.1:$lb_port"
  say "secrets: . $dir/secrets.env"
  status
}

status() {
  [ -d "$dir/pids" ] || { say "no cluster in $dir"; return 0; }
  printf '%-8s %-8s %-6s %s\n' process pid port health
  local f name pid port health
  for f in $(ls "$dir/pids" | grep -v -e "\.cmd$" -e "\.env$" | sort -V); do
    name=$f pid=$(cat "$dir/pids/$f") port=$(cat "$dir/ports/$f" 2>/dev/null || echo -)
    if ! kill -0 "$pid" 2>/dev/null; then
      health=down
    elif [[ $name == zk* ]]; then
      port=${zk_ports[$((${name#zk} - 1))]}
      health=$(zk_mode "${name#zk}"); health=${health:-not serving}
    elif [ "$name" = nginx ]; then
      health=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/ping")
      [ "$health" = 200 ] && health=UP || health="ping $health"
    else
      health=$(curl -s "http://127.0.0.1:$port/actuator/health" | sed -n 's/.*"status":"\([A-Z_]*\)"}$/\1/p')
      health=${health:-no answer}
    fi
    printf '%-8s %-8s %-6s %s\n' "$name" "$pid" "$port" "$health"
  done
}

down() {
  [ -d "$dir/pids" ] || { say "no cluster in $dir"; return 0; }
  if alive "$dir/pids/nginx"; then
    nginx -c "$(realpath "$dir/nginx.conf")" -p "$(realpath "$dir")" -s quit 2>/dev/null || kill "$(cat "$dir/pids/nginx")"
  fi
  local f pid pids=()
  for f in "$dir/pids/"*; do
    [[ $f != *.cmd && $f != *.env && $f != */nginx ]] || continue
    pid=$(cat "$f" 2>/dev/null) || continue
    if kill -0 "$pid" 2>/dev/null; then
      kill -CONT "$pid" 2>/dev/null || true # a paused node cannot act on SIGTERM
      kill "$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
  done
  for _ in $(seq 1 30); do
    local left=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && left=$((left + 1)); done
    [ "$left" -eq 0 ] && break
    sleep 1
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -f "$dir/pids/"* "$dir/ports/"*
  forget_namespace
  say "down (logs kept in $dir/logs)"
}

case ${1:-} in
  up) shift; up "$@" ;;
  status) status ;;
  down) down ;;
  *) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
