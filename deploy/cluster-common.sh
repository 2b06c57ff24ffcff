# Shared by deploy/cluster.sh and deploy/chaos.sh (sourced): where a cluster lives, its ZooKeeper
# ports, and how to ask a ZooKeeper server what it is.
dir=${RAILRUSH_CLUSTER_DIR:-./data/cluster}
zk_ports=(2281 2282 2283)

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ZooKeeper server 1, 2 or 3: leader | follower | "" (down or not serving)
zk_mode() {
  local port=${zk_ports[$(($1 - 1))]}
  { exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'srvr' >&3 && cat <&3; } 2>/dev/null |
    sed -n 's/^Mode: //p' || true
}
