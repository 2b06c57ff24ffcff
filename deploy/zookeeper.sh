#!/usr/bin/env bash
# Starts a real standalone ZooKeeper from its Maven jar (the one Curator uses), for cluster mode
# with RAILRUSH_LOCKS=zookeeper or RAILRUSH_WORKER_IDS=zookeeper.
#   deploy/zookeeper.sh [port=2181] [data-dir=./data/zookeeper]     start (no-op if the port answers)
#   deploy/zookeeper.sh stop
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/java-home
port=${1:-2181}
data=${2:-./data/zookeeper}
pidfile=$data/zookeeper.pid

if [ "$port" = "stop" ]; then
  data=./data/zookeeper; pidfile=$data/zookeeper.pid
  [ -f "$pidfile" ] && kill "$(cat "$pidfile")" && rm -f "$pidfile" && echo "ZooKeeper stopped"
  exit 0
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "something already listens on $port"; exit 0
fi
mkdir -p "$data"
classpath=$data/classpath.txt
[ -s "$classpath" ] || ./mvnw -q -B -pl kit dependency:build-classpath -Dmdep.outputFile="$(realpath "$classpath")" -Dmdep.includeScope=runtime
cat > "$data/zoo.cfg" <<CFG
tickTime=2000
dataDir=$(realpath "$data")
clientPort=$port
admin.enableServer=false
4lw.commands.whitelist=ruok,stat,wchp
CFG
nohup "$JAVA_HOME/bin/java" -Xmx256m -cp "$(cat "$classpath")" org.apache.zookeeper.server.ZooKeeperServerMain "$data/zoo.cfg" \
  > "$data/zookeeper.log" 2>&1 &
echo $! > "$pidfile"
for _ in $(seq 1 30); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "ZooKeeper on 127.0.0.1:$port (log: $data/zookeeper.log)"; exit 0; fi
  sleep 1
done
echo "ZooKeeper did not start; see $data/zookeeper.log" >&2
exit 1
