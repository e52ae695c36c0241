#!/usr/bin/env bash
# Builds upstream etcdctl and etcd from the Go module proxy: v3.7.3 (the default) into
# .reference/bin, any other version (scripts/build-reference.sh v3.6.16) into .reference/<version>/bin.
# The source is only compiled, never copied into this repository.
set -euo pipefail
VERSION=${1:-${ETCD_REF_VERSION:-v3.7.3}}
root=$(cd "$(dirname "$0")/.." && pwd)
if [ "$VERSION" = v3.7.3 ]; then out="$root/.reference/bin"; else out="$root/.reference/$VERSION/bin"; fi
if [ -x "$out/etcdctl" ] && [ -x "$out/etcd" ] && [ "$(cat "$out/.version" 2>/dev/null)" = "$VERSION" ]; then
  exit 0
fi
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
cat > go.mod <<MOD
module reference

go 1.25
MOD
cat > tools.go <<'GO'
//go:build tools

package reference

import (
	_ "go.etcd.io/etcd/etcdctl/v3"
	_ "go.etcd.io/etcd/server/v3"
)
GO
for m in api/v3 client/pkg/v3 client/v3 pkg/v3 server/v3 etcdctl/v3 etcdutl/v3 v3; do
  go mod edit -require="go.etcd.io/etcd/$m@$VERSION"
done
GOFLAGS=-mod=mod go mod tidy -e >/dev/null 2>&1 || true
GOFLAGS=-mod=mod go build -o "$out/etcdctl" go.etcd.io/etcd/etcdctl/v3
GOFLAGS=-mod=mod go build -o "$out/etcd" go.etcd.io/etcd/server/v3 2>/dev/null || GOFLAGS=-mod=mod go build -o "$out/etcd" go.etcd.io/etcd/v3
echo "$VERSION" > "$out/.version"
echo "reference etcdctl and etcd $VERSION in $out"
