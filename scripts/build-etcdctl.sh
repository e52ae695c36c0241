#!/bin/sh
# Builds our etcdctl into $1: the one recipe `make build` and the tests' own build share.
#   CGO_ENABLED=0     linked statically, as etcd's release binaries are: no dynamic loader or C
#                     library to start (about 0.5 ms of every run). The pure-Go resolver is what
#                     Go picks on Linux with cgo too, unless nsswitch.conf asks for more.
#   -tags grpcnotrace gRPC leaves out its /debug/requests tracing (golang.org/x/net/trace), which
#                     etcdctl never serves: its initialiser registers HTTP handlers and walks
#                     the stack on every run, and its templates are half a megabyte of code.
set -e
cd "$(dirname "$0")/.."
CGO_ENABLED=0 exec "${GO:-go}" build -tags grpcnotrace -o "$1" .
