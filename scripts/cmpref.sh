#!/usr/bin/env bash
# Usage: scripts/cmpref.sh <args...>   (stdin, if any, is given to both)
# Runs our etcdctl (bin/etcdctl) and the reference (.reference/bin/etcdctl) with the same
# arguments and environment; compares stdout bytes, exit code and stderr without JSON log lines.
root=$(cd "$(dirname "$0")/.." && pwd)
ours=${OURS:-$root/bin/etcdctl}
ref=${REF:-$root/.reference/bin/etcdctl}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/in" 2>/dev/null < /dev/stdin || true
"$ours" "$@" <"$tmp/in" >"$tmp/o1" 2>"$tmp/e1"; r1=$?
"$ref" "$@" <"$tmp/in" >"$tmp/o2" 2>"$tmp/e2"; r2=$?
grep -v '^{"level"' "$tmp/e1" >"$tmp/f1"; grep -v '^{"level"' "$tmp/e2" >"$tmp/f2"
ok=1
cmp -s "$tmp/o1" "$tmp/o2" || { ok=0; echo "--- stdout differs (ours < > ref)"; diff "$tmp/o1" "$tmp/o2" | head -${LINES_SHOWN:-20}; }
[ $r1 = $r2 ] || { ok=0; echo "--- exit code: ours $r1, ref $r2"; }
cmp -s "$tmp/f1" "$tmp/f2" || { ok=0; echo "--- stderr differs (ours < > ref)"; diff "$tmp/f1" "$tmp/f2" | head -${LINES_SHOWN:-20}; }
[ $ok = 1 ] && echo "SAME (rc=$r1): $*" || { echo "DIFF: $*"; exit 1; }
