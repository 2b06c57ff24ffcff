#!/usr/bin/env bash
# Faults for a cluster started by deploy/cluster.sh. Each action is bounded in time, puts back
# what it broke by itself, and prints what it did and when.
#
#   deploy/chaos.sh kill-node            SIGKILL a random web or worker node, restart it 5 s later
#   deploy/chaos.sh pause-node [SECONDS] SIGSTOP a random node (default 40 s: past every lock
#                                        lease), then SIGCONT
#   deploy/chaos.sh restart-rabbitmq     stop RabbitMQ and start it again
#   deploy/chaos.sh flush-redis          FLUSHALL (the nodes re-seed what they need)
#   deploy/chaos.sh restart-redis        SIGKILL redis-server, start it again 3 s later
#   deploy/chaos.sh stop-zk-follower     stop a ZooKeeper follower for 15 s
#   deploy/chaos.sh stop-zk-leader       stop the ZooKeeper leader for 15 s
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/java-home
. deploy/cluster-common.sh
[ -d "$dir/pids" ] && [ -n "$(ls "$dir/pids" 2>/dev/null)" ] || { echo "chaos: no cluster in $dir" >&2; exit 1; }

say() { echo "chaos $(date +%H:%M:%S.%3N): $*"; }

random_node() { ls "$dir/pids" | grep -E '^(web[0-9]+|worker)$' | shuf -n 1; }

# keeps a process's command line and environment, to start it again as it was
remember_command() {
  local name=$1 pid=$2
  cp "/proc/$pid/cmdline" "$dir/pids/$name.cmd"
  cp "/proc/$pid/environ" "$dir/pids/$name.env"
}

start_remembered() {
  local name=$1
  local -a cmd env
  mapfile -d '' cmd < "$dir/pids/$name.cmd"
  mapfile -d '' env < "$dir/pids/$name.env"
  env -i "${env[@]}" nohup "${cmd[@]}" >> "$dir/logs/$name.log" 2>&1 &
  echo $! > "$dir/pids/$name"
  rm -f "$dir/pids/$name.cmd" "$dir/pids/$name.env"
}

restart_zk() {
  local i=$1 seconds=$2
  local pid; pid=$(cat "$dir/pids/zk$i")
  remember_command "zk$i" "$pid"
  kill "$pid"
  say "stopped ZooKeeper $i (pid $pid, was $3) for $seconds s"
  sleep "$seconds"
  start_remembered "zk$i"
  say "started ZooKeeper $i again (pid $(cat "$dir/pids/zk$i"))"
}

case ${1:-} in
  kill-node)
    name=$(random_node); pid=$(cat "$dir/pids/$name")
    remember_command "$name" "$pid"
    kill -9 "$pid"
    say "SIGKILLed $name (pid $pid); restarting it in 5 s"
    sleep 5
    start_remembered "$name"
    say "restarted $name (pid $(cat "$dir/pids/$name"))"
    ;;
  pause-node)
    seconds=${2:-40}; name=$(random_node); pid=$(cat "$dir/pids/$name")
    kill -STOP "$pid"
    say "SIGSTOPped $name (pid $pid) for $seconds s"
    sleep "$seconds"
    kill -CONT "$pid"
    say "SIGCONTed $name (pid $pid)"
    ;;
  restart-rabbitmq)
    say "stopping RabbitMQ"
    rabbitmqctl -q stop_app
    sleep 2
    rabbitmqctl -q start_app
    say "RabbitMQ started again"
    ;;
  flush-redis)
    redis-cli flushall >/dev/null
    say "Redis flushed (FLUSHALL)"
    ;;
  restart-redis)
    pid=$(pgrep -x redis-server | head -n 1)
    kill -9 "$pid"
    say "SIGKILLed redis-server (pid $pid); starting it again in 3 s"
    sleep 3
    redis-server --daemonize yes --port 6379 --save "" >/dev/null
    say "redis-server started again"
    ;;
  stop-zk-follower | stop-zk-leader)
    want=${1#stop-zk-}
    for i in 1 2 3; do
      if [ "$(zk_mode "$i")" = "$want" ]; then restart_zk "$i" 15 "$want"; exit 0; fi
    done
    echo "chaos: no ZooKeeper $want answers" >&2; exit 1
    ;;
  *)
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
