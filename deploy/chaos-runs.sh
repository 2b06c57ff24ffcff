#!/usr/bin/env bash
# Every chaos action of deploy/chaos.sh against a fresh cluster, each during a flash sale through
# nginx while 200 buyers pay (each notification duplicated), each followed by the sale's audit and
# the payments' and promotions' audits; the output of each goes to docs/runs/chaos-ACTION.txt.
#   deploy/chaos-runs.sh [ACTION ...]     (default: all of them; ~2 min each)
set -euo pipefail
cd "$(dirname "$0")/.."
actions=("$@")
[ ${#actions[@]} -gt 0 ] || actions=(kill-node pause-node restart-rabbitmq flush-redis restart-redis stop-zk-follower stop-zk-leader)
mkdir -p docs/runs
failed=0
for action in "${actions[@]}"; do
  out=docs/runs/chaos-$action.txt
  locks=redis seconds=20
  [[ $action == stop-zk-* ]] && locks=zookeeper
  # the broker is away ~30 s: the sale must go on long enough to finish after it is back
  [ "$action" = restart-rabbitmq ] && seconds=60
  {
    echo "# deploy/chaos-runs.sh $action — $(date -u +%FT%TZ), $(nproc) cores"
    RAILRUSH_LB_IP_RATE=0 deploy/cluster.sh up --locks "$locks"
    bin/bench grab --target http://127.0.0.1:8088 --chaos "$action" --at 3 --seconds "$seconds" --warmup 5 \
      --seats 2000 --users 6000 --clients 64 2>&1 | grep -v '^WARNING'
  } 2>&1 | tee "$out" || true
  deploy/cluster.sh down | tee -a "$out"
  grep -q '| ok: ' "$out" || { echo "chaos-runs: $action: the sale's audit is not ok (see $out)" >&2; failed=1; }
  grep -q '^payments ok: ' "$out" || { echo "chaos-runs: $action: the payments' audit is not ok (see $out)" >&2; failed=1; }
done
exit $failed
