#!/usr/bin/env bash
# Usage: scripts/test-completion.sh [go test flags...]
# Shell completion, end to end: installs bash-completion (and zsh, fish when possible) with
# apt-get when missing and running as root, then runs the Go tests that source `etcdctl completion
# bash` in a real bash, complete partial command lines against a real local cluster (keys,
# members, leases, users, roles created with clientv3), and load the zsh and fish scripts.
# Tests that cannot get their shell say SKIPPED LOUDLY in the output.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1

need=()
[ -f /usr/share/bash-completion/bash_completion ] || need+=(bash-completion)
command -v zsh >/dev/null || need+=(zsh)
command -v fish >/dev/null || need+=(fish)
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing: ${need[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
            { apt-get update >/dev/null 2>&1; apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1; } ||
            echo "WARNING: could not install ${need[*]}; the tests needing them will skip loudly"
    else
        echo "WARNING: missing ${need[*]} and cannot install (need root and apt-get); the tests needing them will skip loudly"
    fi
fi

out=$(go test -count=1 -v "$@" -run 'TestCompletion(Bash|ZshFishLoad|Dynamic|Unreachable)$' ./cmd/ 2>&1)
rc=$?
printf '%s\n' "$out" | grep -E '^(=== RUN|--- |\s+--- |ok|FAIL|PASS)|SKIPPED LOUDLY|Error' | grep -v '=== RUN'
exit $rc
