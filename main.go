// Command etcdctl is a drop-in, byte-compatible rewrite of the etcd v3 command-line client.
package main

import (
	"os"

	"github.com/etcdctl-rewritten/etcdctl/cmd"
)

func main() { os.Exit(cmd.Run()) }
