package bench

import (
	"bytes"
	"net"
	"testing"

	"context"
	"fmt"
	"github.com/etcdctl-rewritten/etcdctl/cmd"
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/iostreams"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"time"
)

// helpCompleteOnce runs one in-process `etcdctl __complete args...` with dynamic completions.
func helpCompleteOnce(b *testing.B, args ...string) string {
	streams, _, out, _ := iostreams.Test()
	f := cmdutil.NewFactory(streams, nil)
	root := cmd.NewRootCmd(f)
	root.SetArgs(append([]string{"__complete"}, args...))
	root.SetOut(out)
	root.SetErr(&bytes.Buffer{})
	if err := root.Execute(); err != nil {
		b.Fatal(err)
	}
	return out.String()
}

// The cost of building the tree (completions included) that every start-up pays.
func BenchmarkHelpBuildTree(b *testing.B) {
	streams, _, _, _ := iostreams.Test()
	for b.Loop() {
		cmd.NewRootCmd(cmdutil.NewFactory(streams, nil))
	}
}

// Key completion against a server that accepts connections but never answers: bounded by the
// completion timeout (300 ms), far below --command-timeout.
func BenchmarkHelpCompleteSilentServer(b *testing.B) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	for b.Loop() {
		helpCompleteOnce(b, "--endpoints="+l.Addr().String(), "get", "fo")
	}
}

// Key completion against a real one-member cluster with 1000 keys under the prefix (100 asked).
func BenchmarkHelpCompleteKeys(b *testing.B) {
	c := localcluster.StartT(b, localcluster.Options{Size: 1})
	cli, err := c.Client()
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for i := 0; i < 1000; i++ {
		if _, err := cli.Put(ctx, fmt.Sprintf("k/%04d", i), "v"); err != nil {
			b.Fatal(err)
		}
	}
	cli.Close()
	for b.Loop() {
		helpCompleteOnce(b, "--endpoints="+c.Hosts()[0], "get", "k/")
	}
}

// In-process `etcdctl version` and `etcdctl get k` up to the first connection (a refused one):
// everything a run pays after the package initialisers, with the tree built for that argv.
func BenchmarkHelpMainVersion(b *testing.B) {
	for b.Loop() {
		streams, _, _, _ := iostreams.Test()
		if code := cmd.Main([]string{"version"}, streams, nil); code != 0 {
			b.Fatal(code)
		}
	}
}
