package cmd

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/iostreams"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// hookWriter runs hook once, on the first write that reaches it (after the first page was printed).
type hookWriter struct {
	bytes.Buffer
	once sync.Once
	hook func()
}

func (w *hookWriter) Write(p []byte) (int, error) {
	w.once.Do(w.hook)
	return w.Buffer.Write(p)
}

func kvStreamSeed(t *testing.T, cli *clientv3.Client, n int) {
	val := strings.Repeat("x", 200)
	for i := 0; i < n; i += 100 {
		var ops []clientv3.Op
		for j := i; j < i+100 && j < n; j++ {
			ops = append(ops, clientv3.OpPut(fmt.Sprintf("s/%06d", j), val))
		}
		_, err := cli.Txn(context.Background()).Then(ops...).Commit()
		require.NoError(t, err)
	}
}

// A listing is one snapshot: writes made while it is printed do not show up in it.
func TestKVStreamIsOneSnapshot(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	kvStreamSeed(t, cli, 3000)

	io, _, _, errOut := iostreams.Test()
	out := &hookWriter{hook: func() {
		_, err := cli.Put(context.Background(), "s/999999", "late")
		require.NoError(t, err)
		_, err = cli.Delete(context.Background(), "s/002999")
		require.NoError(t, err)
	}}
	io.Out = out
	code := Main([]string{"--endpoints=" + c.Hosts()[0], "get", "s/", "--prefix", "--keys-only"}, io, nil)
	require.Equal(t, 0, code, errOut.String())
	keys := strings.Fields(out.String())
	assert.Len(t, keys, 3000)
	assert.Equal(t, "s/002999", keys[len(keys)-1])
}

// If the pinned revision is compacted mid-listing, the command fails with the compaction error.
func TestKVStreamCompactedMidListing(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	kvStreamSeed(t, cli, 3000)

	io, _, _, errOut := iostreams.Test()
	out := &hookWriter{hook: func() {
		resp, err := cli.Put(context.Background(), "other", "x")
		require.NoError(t, err)
		_, err = cli.Compact(context.Background(), resp.Header.Revision, clientv3.WithCompactPhysical())
		require.NoError(t, err)
	}}
	io.Out = out
	code := Main([]string{"--endpoints=" + c.Hosts()[0], "get", "s/", "--prefix"}, io, nil)
	assert.Equal(t, 1, code)
	assert.True(t, strings.HasPrefix(errOut.String(), "Error: etcdserver: mvcc: required revision has been compacted"), errOut.String())
}
