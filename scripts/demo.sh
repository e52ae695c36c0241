#!/usr/bin/env bash
# make demo: the seed guide's walk-through, with our etcdctl, on a real 3-member etcd cluster on
# loopback (bin/localcluster, embedded etcd, free ports). Prints each command before its output,
# exits 0 on success and leaves no process or data behind.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ETCDCTL="$root/bin/etcdctl"
LOCALCLUSTER="$root/bin/localcluster"
datadir=$(mktemp -d -t etcdctl-demo-XXXXXX)

run() { # prints and runs an etcdctl command line; a failure is shown, not fatal
  local shown=() a
  for a in "$@"; do if [ -z "$a" ]; then shown+=("''"); else shown+=("$a"); fi; done
  printf '\n$ etcdctl %s\n' "${shown[*]}"
  "$ETCDCTL" "$@" || printf '(exit code %d)\n' "$?"
}

coproc LC { exec "$LOCALCLUSTER" -n 3 -data-dir "$datadir/cluster" 2>&1; }
LC_IN=${LC[1]}
LC_OUT=${LC[0]}
lc_pid=$LC_PID
cleanup() {
  { echo quit >&"$LC_IN"; } 2>/dev/null || true
  wait "$lc_pid" 2>/dev/null || true
  rm -rf "$datadir"
}
trap cleanup EXIT
lc() { echo "$*" >&"$LC_IN"; local line; read -r -t 60 line <&"$LC_OUT"; echo "$line"; }

read -r -t 120 ENDPOINTS <&"$LC_OUT"
echo "# A local 3-member etcd cluster is up: $ENDPOINTS"

echo; echo "# 1. Version and help (the v3 API is the default; ETCDCTL_API=3 is accepted)"
run version
printf '\n$ ETCDCTL_API=3 etcdctl -h | head -5\n'; ETCDCTL_API=3 "$ETCDCTL" -h | head -5

echo; echo "# Nothing listens on the default endpoint 127.0.0.1:2379 here, so etcdctl says so at once:"
if (exec 3<>/dev/tcp/127.0.0.1/2379) 2>/dev/null; then
  echo "(something listens on 127.0.0.1:2379 on this machine; skipping)"
else
  run get name
fi


if [ -f "$root/scripts/demo-cluster.sh" ]; then
  # shellcheck source=/dev/null
  source "$root/scripts/demo-cluster.sh"
  echo; echo "# 2-3. Cluster status, leader failover and recovery"
  demo_cluster "$ETCDCTL" "$ENDPOINTS"
else
  echo; echo "# 2-3. Cluster status and failover"
  run --endpoints="$ENDPOINTS" -w table member list
  leader=$(lc leader)
  echo "# leader: $leader; stopping it"
  lc "stop ${leader%% *}" >/dev/null
  run --endpoints="$ENDPOINTS" get --consistency=s name
  lc "start ${leader%% *}" >/dev/null
fi

echo; echo "# 4. Reads and writes through any member"
first=${ENDPOINTS%%,*}
last=${ENDPOINTS##*,}
raft_index() { "$ETCDCTL" --endpoints="$first" -w json endpoint status | sed -n 's/.*"raftIndex":\([0-9]*\).*/\1/p'; }
before=$(raft_index)
run --endpoints="$first" put name china
run --endpoints="$last" get name
run --endpoints="$ENDPOINTS" get --from-key ''
run --endpoints="$ENDPOINTS" del name
run --endpoints="$ENDPOINTS" get name
after=$(raft_index)
echo; echo "# RAFT INDEX of $first: $before before the put, $after after the del (+$((after - before)))"

echo; echo "# 5. Where the space goes (ours): etcdctl du, on a Kubernetes-like layout loaded with import"
pods=$(printf '%*s' 600 '' | tr ' ' p)
cms=$(printf '%*s' 250 '' | tr ' ' c)
{
  for i in $(seq 1 300); do printf '{"key":"/registry/pods/ns%d/pod-%d","value":"%s"}\n' $((i % 3)) "$i" "$pods"; done
  for i in $(seq 1 200); do printf '{"key":"/registry/configmaps/ns%d/cm-%d","value":"%s"}\n' $((i % 2)) "$i" "$cms"; done
  for i in $(seq 1 400); do printf '{"key":"/registry/events/ev-%d","value":"event %d"}\n' "$i" "$i"; done
} | "$ETCDCTL" --endpoints="$ENDPOINTS" import --plain
run --endpoints="$ENDPOINTS" du /registry --depth 2
run --endpoints="$ENDPOINTS" -w table du --depth 3 --top 5

echo; echo "# 6. Rolling defragmentation (ours): followers one at a time, the leader last, each healthy and caught up before the next"
run --endpoints="$ENDPOINTS" del --prefix /registry/pods/
rev=$("$ETCDCTL" --endpoints="$first" -w json endpoint status | sed -n 's/.*"revision":\([0-9]*\).*/\1/p')
run --endpoints="$ENDPOINTS" compaction --physical "$rev"
run --endpoints="$first" defrag --cluster --rolling --wait-between 200ms

echo; echo "# Done: the cluster stops and its data is removed."
