// Command etcdctl-snapshot35 is the helper behind `etcdctl snapshot restore|status` in the 3.5
// dialect (see internal/snapshot35): one JSON request on stdin, one JSON response on stdout.
package main

import (
	"os"

	"github.com/etcdctl-rewritten/etcdctl/internal/snapshot35/server"
)

func main() { os.Exit(server.Serve(os.Stdin, os.Stdout, os.Stderr)) }
