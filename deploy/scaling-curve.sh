#!/usr/bin/env bash
# Grabs/s and cached stock reads/s through nginx with 1, 2 and 3 web nodes (one worker node each
# time), with the CPU each kind of process used and Redis's commands/s over the whole bench run.
# Output: docs/runs/scaling.txt.   deploy/scaling-curve.sh [NODES ...]   (default: 1 2 3)
set -euo pipefail
cd "$(dirname "$0")/.."
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1 2 3)
out=docs/runs/scaling.txt
mkdir -p docs/runs

# CPU seconds (user + system) per kind of process: web nodes, the worker, nginx, redis, rabbitmq, postgres
cpu() {
  local dir=${RAILRUSH_CLUSTER_DIR:-./data/cluster} name pid
  for name in $(ls "$dir/pids" | grep -E '^(web[0-9]+|worker|nginx)$'); do
    pid=$(cat "$dir/pids/$name")
    echo "${name%%[0-9]*} $(ps -o times= -p "$pid" 2>/dev/null || echo 0)"
    [ "$name" = nginx ] && for child in $(pgrep -P "$pid"); do echo "nginx $(ps -o times= -p "$child")"; done
  done
  ps -eo comm=,times= | awk '$1 ~ /^redis/ {print "redis", $2} $1 ~ /^beam/ {print "rabbitmq", $2} $1 ~ /^postgres/ {print "postgres", $2}'
}
sum() { awk '{t[$1] += $2} END {for (k in t) print k, t[k]}' | sort; }
redis_commands() { redis-cli info stats | sed -n 's/^total_commands_processed:\([0-9]*\).*/\1/p'; }

{
  echo "# deploy/scaling-curve.sh ${counts[*]} — $(date -u +%FT%TZ), $(nproc) cores"
  for n in "${counts[@]}"; do
    echo; echo "## $n web node(s)"
    RAILRUSH_LB_IP_RATE=0 deploy/cluster.sh up --nodes "$n" > /dev/null
    before=$(cpu | sum); commands=$(redis_commands); started=$(date +%s)
    bin/bench grab --target http://127.0.0.1:8088 --seconds 10 --warmup 5 --clients 64 2>/dev/null | grep -v '^WARNING'
    elapsed=$(( $(date +%s) - started ))
    after=$(cpu | sum)
    echo "over the bench's $elapsed s: Redis $(( ($(redis_commands) - commands) / elapsed )) commands/s; CPU seconds by process:"
    join <(echo "$before") <(echo "$after") | awk '{printf "  %-9s %6.1f s\n", $1, $3 - $2}'
    deploy/cluster.sh down > /dev/null
  done
} 2>&1 | tee "$out"
