#!/usr/bin/env bash
# Runs etcd's own client test suites (go.etcd.io/etcd/tests/v3@v3.7.3) against OUR etcdctl:
#   - tests/common in e2e mode (-tags e2e: every client call runs the etcdctl binary)
#   - tests/e2e, the TestCtlV3* tests
# The suites are compiled from the Go module proxy in an ignored folder (.reference/e2e), like
# build-reference.sh does; upstream's source is never copied into this repository. The server is
# the reference etcd v3.7.3 (.reference/bin), etcdutl is upstream's, etcdctl is bin/etcdctl.
#
# Tests named in scripts/e2e-upstream.skip (one per line, "Name  # reason") are skipped.
#
# Environment:
#   E2E_SUITES   which suites to run: "common ctl" (default), or one of them
#   E2E_RUN      top-level test regexp for both suites instead of the defaults (common: all, ctl: ^TestCtlV3)
#   E2E_TIMEOUT  -test.timeout of each test binary run (default 40m)
#   E2E_NETNS    1 (default when `unshare -n` works): each suite runs in its own network namespace,
#                so the suites' fixed ports (20000+) clash neither with each other nor with anything
#                else on the machine, and the suites run side by side. 0: one test binary at a time.
#   E2E_COMMON_SHARDS  parallel shards of tests/common with E2E_NETNS=1 (default 2)
#   ETCDCTL_OURS etcdctl binary under test (default bin/etcdctl)
set -euo pipefail
VERSION=${ETCD_REF_VERSION:-v3.7.3}
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/.reference/e2e"
ours=${ETCDCTL_OURS:-$root/bin/etcdctl}
skipfile="$root/scripts/e2e-upstream.skip"
suites=${E2E_SUITES:-common ctl}
timeout=${E2E_TIMEOUT:-40m}
netns=${E2E_NETNS:-}
if [ -z "$netns" ]; then
  if unshare -n sh -c 'ip link set lo up' 2>/dev/null; then netns=1; else netns=0; fi
fi
common_shards=${E2E_COMMON_SHARDS:-2}

[ -x "$ours" ] || { echo "e2e-upstream: $ours missing (make build)" >&2; exit 2; }
ours=$(realpath "$ours")
"$root/scripts/build-reference.sh"

# 1. The test binaries and etcdutl, compiled once per version in a throw-away module.
if [ "$(cat "$work/.version" 2>/dev/null)" != "$VERSION" ] || [ ! -x "$work/common.test" ] ||
  [ ! -x "$work/e2e.test" ] || [ ! -x "$work/bin/etcdutl" ]; then
  rm -rf "$work"
  mkdir -p "$work/mod/stub/cache" "$work/bin"
  cd "$work/mod"
  printf 'module e2eupstream\n\ngo 1.26.0\n' > go.mod
  cat > tools.go <<'GO'
//go:build tools

package e2eupstream

import (
	_ "go.etcd.io/etcd/etcdutl/v3"
	_ "go.etcd.io/etcd/tests/v3/common"
	_ "go.etcd.io/etcd/tests/v3/e2e"
)
GO
  # tests/v3 requires cache/v3, which the proxy does not serve for v3.7.3; only tests/v3/integration
  # imports it, so an empty stand-in module satisfies the module graph.
  printf 'module go.etcd.io/etcd/cache/v3\n\ngo 1.26.0\n' > stub/cache/go.mod
  for m in api/v3 cache/v3 client/pkg/v3 client/v3 pkg/v3 server/v3 etcdctl/v3 etcdutl/v3 tests/v3; do
    go mod edit -require="go.etcd.io/etcd/$m@$VERSION"
  done
  go mod edit -replace=go.etcd.io/etcd/cache/v3=./stub/cache
  GOFLAGS="-mod=mod -buildvcs=false" go mod tidy -e >/dev/null 2>&1 || true
  export GOFLAGS="-mod=mod -buildvcs=false"
  go test -p 1 -c -tags e2e -o "$work/common.test" go.etcd.io/etcd/tests/v3/common
  go test -p 1 -c -o "$work/e2e.test" go.etcd.io/etcd/tests/v3/e2e
  go build -p 1 -o "$work/bin/etcdutl" go.etcd.io/etcd/etcdutl/v3
  unset GOFLAGS
  # The suites find their certificates at ../fixtures relative to the working directory.
  src=$(go list -m -f '{{.Dir}}' go.etcd.io/etcd/tests/v3)
  cp -r "$src/fixtures" "$work/fixtures"
  chmod -R u+w "$work/fixtures"
  echo "$VERSION" > "$work/.version"
fi

# 2. The binary folder the suites take as -bin-dir: our etcdctl, upstream etcd and etcdutl.
#    No etcd-last-release: the mixed-version cases are skipped by the suites themselves.
ln -sfn "$ours" "$work/bin/etcdctl"
ln -sfn "$root/.reference/bin/etcd" "$work/bin/etcd"

# 3. The skip list. Whole tests are left out of the -test.run list; go test splits a pattern at
#    "/" into one regexp per level, so each parent with skipped subtests gets a run of its own
#    with a per-level -test.skip.
declare -A subskip=() skipped=()
nskip=0
if [ -f "$skipfile" ]; then
  while IFS= read -r line; do
    name=${line%%#*}
    name=$(echo "$name" | xargs)
    [ -n "$name" ] || continue
    nskip=$((nskip + 1))
    if [[ $name == */* ]]; then
      parent=${name%%/*} child=${name#*/}
      subskip[$parent]+="${subskip[$parent]:+|}$(printf '%s' "$child" | sed 's/[][\.*^$(){}+?|]/\\&/g')"
    else
      skipped[$name]=1
    fi
  done < "$skipfile"
fi

# isolated runs its arguments in a fresh network namespace with only loopback up (E2E_NETNS=1).
isolated() {
  if [ "$netns" = 1 ]; then
    unshare -n sh -c 'ip link set lo up && exec "$@"' sh "$@"
  else
    "$@"
  fi
}

run_tests() { # binary log dir test-run-pattern [test-skip-pattern]
  local rc=0
  (cd "$3" && isolated "$1" -test.v -test.count=1 -test.timeout "$timeout" -bin-dir "$work/bin" \
    -test.run "$4" ${5:+-test.skip "$5"} >> "$2" 2>&1) || rc=$?
  if [ "$rc" != 0 ]; then echo "e2e-upstream: test binary exited $rc" >> "$2"; fi
}

# run_suite splits a suite's top-level tests round-robin into shards run side by side, each in
# its own network namespace (the suites use fixed ports); parents with skipped subtests run last.
run_suite() { # name binary run-pattern shards
  local name=$1 bin=$2 pattern=$3 shards=$4 t i
  local -a tests=() parents=() pids=()
  rm -f "$work/$name".*.log
  while IFS= read -r t; do
    [[ $t == Test* ]] || continue
    if [ -n "${skipped[$t]:-}" ]; then continue; fi
    if [ -n "${subskip[$t]:-}" ]; then parents+=("$t"); else tests+=("$t"); fi
  done < <(cd "$work" && "$bin" -test.list "$pattern" -bin-dir "$work/bin")
  for ((i = 0; i < shards; i++)); do
    local -a part=()
    for ((t = i; t < ${#tests[@]}; t += shards)); do part+=("${tests[t]}"); done
    local dir="$work/run-$name-$i" log="$work/$name.$i.log"
    mkdir -p "$dir"
    : > "$log"
    (
      if [ ${#part[@]} -gt 0 ]; then run_tests "$bin" "$log" "$dir" "^($(IFS='|'; echo "${part[*]}"))\$"; fi
      if [ "$i" = $((shards - 1)) ]; then
        for p in "${parents[@]}"; do run_tests "$bin" "$log" "$dir" "^$p\$" "^$p\$/^(${subskip[$p]})\$"; done
      fi
    ) &
    pids+=($!)
    if [ "$netns" != 1 ]; then wait "${pids[-1]}"; fi
  done
  for p in "${pids[@]}"; do wait "$p"; done
  cat "$work/$name".*.log > "$work/$name.log"
}

start=$(date +%s)
pids=()
for s in $suites; do
  case $s in
  common) pat=${E2E_RUN:-.} bin=$work/common.test shards=$common_shards ;;
  ctl) pat=${E2E_RUN:-^TestCtlV3} bin=$work/e2e.test shards=1 ;;
  *) echo "e2e-upstream: unknown suite $s" >&2; exit 2 ;;
  esac
  if [ "$netns" = 1 ]; then
    run_suite "$s" "$bin" "$pat" "$shards" & pids+=($!)
  else
    run_suite "$s" "$bin" "$pat" 1
  fi
done
for p in "${pids[@]}"; do wait "$p"; done
elapsed=$(( $(date +%s) - start ))

# 4. Summary: top-level tests and subtests, from the verbose logs.
rc=0
for s in $suites; do
  log="$work/$s.log"
  pass=$(grep -cE '^--- PASS' "$log" || true)
  fail=$(grep -cE '^--- FAIL' "$log" || true)
  skip=$(grep -cE '^--- SKIP' "$log" || true)
  subpass=$(grep -cE '^ +--- PASS' "$log" || true)
  subfail=$(grep -cE '^ +--- FAIL' "$log" || true)
  printf 'e2e-upstream %-6s tests: %d passed, %d failed, %d skipped (subtests: %d passed, %d failed)  log: %s\n' \
    "$s" "$pass" "$fail" "$skip" "$subpass" "$subfail" "${log#"$root"/}"
  if [ "$fail" -gt 0 ] || [ $((pass + fail)) = 0 ] || grep -qE '^(panic:|FAIL$|e2e-upstream: )|test timed out' "$log"; then
    grep -E '^e2e-upstream: |^panic:|test timed out' "$log" | sed 's/^/  /' || true
    grep -E '^ *--- FAIL' "$log" | sed 's/^/  /' || true
    rc=1
  fi
done
printf 'e2e-upstream skipped by name (%s): %d\n' "${skipfile#"$root"/}" "$nskip"
printf 'e2e-upstream wall time: %dm%02ds\n' $((elapsed / 60)) $((elapsed % 60))
exit $rc
