#!/usr/bin/env bash
# The cluster part of the demo: leader failover seen through `etcdctl endpoint status`.
#
# Source this file and call
#     demo_cluster <etcdctl> <endpoints>
# with a running `bin/localcluster` coprocess whose stdin/stdout fds are in LC_IN (write) and
# LC_OUT (read), e.g.
#     coproc LC { bin/localcluster -n 3; }
#     LC_IN=${LC[1]} LC_OUT=${LC[0]}
#     read -r endpoints <&"$LC_OUT"
#     demo_cluster bin/etcdctl "$endpoints"
# Run directly (scripts/demo-cluster.sh [etcdctl] [localcluster]) it starts its own cluster.
# Safe under `set -euo pipefail`: a failing etcdctl command shows its exit code and the demo goes on.

# demo_lc sends one command to the local cluster and prints its one-line answer.
demo_lc() {
	local answer
	printf '%s\n' "$*" >&"$LC_IN" || return 1
	IFS= read -r -t 30 answer <&"$LC_OUT" || { echo "localcluster did not answer '$*'" >&2; return 1; }
	printf '%s\n' "$answer"
}

# demo_run prints a command the way a reader would type it, then runs it (a failing command's
# exit code is shown, not fatal).
demo_run() {
	local bin=$1 rc=0
	shift
	printf '$ etcdctl %s\n' "$*"
	"$bin" "$@" || rc=$?
	[ "$rc" -eq 0 ] || printf '(exit code %d)\n' "$rc"
	echo
	return 0
}

# demo_cluster <etcdctl> <endpoints>
demo_cluster() {
	local etcdctl=$1 endpoints=$2
	if [ -z "$etcdctl" ] || [ -z "$endpoints" ] || [ -z "${LC_IN:-}" ] || [ -z "${LC_OUT:-}" ]; then
		echo "usage: demo_cluster <etcdctl> <endpoints> (with LC_IN and LC_OUT set)" >&2
		return 2
	fi
	local first=${endpoints%%,*}

	echo "# A healthy three-member cluster: one leader."
	demo_run "$etcdctl" --endpoints="$first" -w table endpoint status --cluster

	local answer name host
	answer=$(demo_lc stop leader) || return 1
	read -r _ name host <<<"$answer"
	if [ -z "$host" ]; then
		echo "could not stop the leader: $answer" >&2
		return 1
	fi
	echo "# Stopped the leader $name ($host)."

	local others="" ep
	local -a all
	IFS=, read -r -a all <<<"$endpoints"
	for ep in "${all[@]}"; do
		[ "$ep" = "$host" ] || others=${others:+$others,}$ep
	done
	answer=$(demo_lc leader) || return 1
	echo "# The other two elect a new leader ($answer) in a higher raft term."
	demo_run "$etcdctl" -w table endpoint status --endpoints="$others"

	answer=$(demo_lc start "$name") || return 1
	echo "# Started $name again ($answer): it rejoins as a follower."
	demo_run "$etcdctl" --endpoints="${others%%,*}" endpoint status --cluster -w table
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	root=$(cd "$(dirname "$0")/.." && pwd)
	etcdctl=${1:-$root/bin/etcdctl}
	localcluster=${2:-$root/bin/localcluster}
	coproc LC { "$localcluster" -n 3; }
	LC_IN=${LC[1]} LC_OUT=${LC[0]}
	IFS= read -r -t 60 endpoints <&"$LC_OUT" || { echo "localcluster did not start" >&2; exit 1; }
	demo_cluster "$etcdctl" "$endpoints"
	rc=$?
	printf 'quit\n' >&"$LC_IN"
	wait "$LC_PID" 2>/dev/null
	exit "$rc"
fi
