// Command floor is the start-up floor `make bench` reports beside etcdctl's figures: a program
// that links cobra and etcd's client/v3 (so it runs their package initialisers, as any etcd
// client with a cobra command line must) and prints the two lines of `etcdctl version`.
package main

import (
	"os"

	"github.com/spf13/cobra"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// keep the client linked in, initialisers and all
var _ = clientv3.New

func main() {
	root := &cobra.Command{Use: "floor", Run: func(*cobra.Command, []string) {
		os.Stdout.WriteString("etcdctl version: 3.7.3\nAPI version: 3.7\n")
	}}
	if err := root.Execute(); err != nil {
		os.Exit(1)
	}
}
