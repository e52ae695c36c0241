// Command etcdctl is a drop-in, byte-compatible rewrite of the etcd v3 command-line client.
package main

import (
	"os"

	"github.com/etcdctl-rewritten/etcdctl/cmd"
	// Grows the main goroutine's stack before the other initialisers run (see the package).
	_ "github.com/etcdctl-rewritten/etcdctl/internal/stackreserve"
)

func main() { os.Exit(cmd.Run()) }
