package commands

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/iostreams"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// On a terminal, du shows its progress on stderr and clears it before printing.
func TestDuProgressOnTerminal(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	for i := 0; i < 9000; i += 100 {
		var ops []clientv3.Op
		for j := i; j < i+100; j++ {
			ops = append(ops, clientv3.OpPut(fmt.Sprintf("/p/%d/k%05d", j%3, j), "v"))
		}
		_, err := cli.Txn(context.Background()).Then(ops...).Commit()
		require.NoError(t, err)
	}
	io, _, out, errOut := iostreams.Test()
	io.ErrOutTTY = true
	f := cmdutil.NewFactory(io, nil)
	f.Global.Endpoints = []string{c.Endpoints()[0]}
	f.Global.DialTimeout, f.Global.CommandTimeout = 2*time.Second, 5*time.Second
	f.Global.InsecureTransport, f.Global.WriteOut = true, "simple"
	require.NoError(t, runDu(&DuOptions{F: f, Prefix: "/p"}))
	assert.Contains(t, errOut.String(), "\r\x1b[Kdu: 4096 keys")
	assert.True(t, strings.HasSuffix(errOut.String(), "\r\x1b[K"), "cleared: %q", errOut.String())
	assert.Contains(t, out.String(), "\t9000\t100.0%\ttotal\n")
	assert.Equal(t, 3, strings.Count(out.String(), "\t33.3%\t/p/"), out.String())
}

// The path arithmetic on its own: levels, short keys, keys without a leading slash.
func TestDuAggLevels(t *testing.T) {
	a := newDuAgg(1, 2)
	for _, k := range []string{"/a/b/c", "/a/b/d", "/a/x", "/a", "flat", "n/m/o", "/"} {
		a.add([]byte(k), 1)
	}
	got := map[string]string{}
	for _, g := range a.report(0) {
		got[g.Path] = fmt.Sprintf("%d@%d", g.Keys, g.Depth)
	}
	assert.Equal(t, map[string]string{
		"/a": "4@1", "/a/b": "2@2", "/a/x": "1@2", "flat": "1@1", "n": "1@1", "n/m": "1@2", "/": "1@1",
	}, got)
	assert.Equal(t, int64(7), a.keys)
	assert.Len(t, a.report(2), 2)
	assert.Equal(t, 0, duSegments(""))
	assert.Equal(t, 1, duSegments("/registry/"))
	assert.Equal(t, 2, duSegments("registry/pods"))
}
