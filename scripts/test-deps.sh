#!/usr/bin/env bash
# Installs what the tests need from Debian's packages when it is missing: etcd 3.4's server
# (package etcd-server, for the older-servers tests), the shells and bash-completion of the
# completion tests, unshare and mount (util-linux, mount) of the DNS discovery test, and ip
# (iproute2), with which that test brings up its own network namespace's loopback when it runs
# without root. Needs root and apt-get; says so otherwise (with CI set, the tests then fail
# rather than skip).
set -u
missing=()
[ -x /usr/bin/etcd ] || missing+=(etcd-server)
[ -f /usr/share/bash-completion/bash_completion ] || missing+=(bash-completion)
[ -x /usr/bin/fish ] || missing+=(fish)
[ -x /usr/bin/zsh ] || missing+=(zsh)
command -v unshare >/dev/null || missing+=(util-linux)
command -v mount >/dev/null || missing+=(mount)
command -v ip >/dev/null || [ -x /usr/sbin/ip ] || [ -x /sbin/ip ] || missing+=(iproute2)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "test-deps: cannot install ${missing[*]} (not root or no apt-get); the tests that need them will say so" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || echo "test-deps: apt-get install ${missing[*]} failed" >&2
# The package may start a service on the default ports; tests rely on nothing listening there.
command -v systemctl >/dev/null 2>&1 && systemctl stop etcd >/dev/null 2>&1 || true
command -v service >/dev/null 2>&1 && service etcd stop >/dev/null 2>&1 || true
exit 0
