package commands

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/iostreams"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// The paging path (used against servers without RangeStream, etcd 3.6 and older) and the
// RangeStream path return the same keys, in order, at the pinned revision, honouring a limit.
func TestKVPageRestMatchesStreamRest(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	ctx := context.Background()
	for i := 0; i < 3000; i += 100 {
		var ops []clientv3.Op
		for j := i; j < i+100; j++ {
			ops = append(ops, clientv3.OpPut(fmt.Sprintf("r/%05d", j), fmt.Sprint(j)))
		}
		_, err := cli.Txn(ctx).Then(ops...).Commit()
		require.NoError(t, err)
	}
	resp, err := cli.Put(ctx, "r/00000", "changed later")
	require.NoError(t, err)
	pinned := resp.Header.Revision - 1

	io, _, _, _ := iostreams.Test()
	f := cmdutil.NewFactory(io, nil)
	f.Global.CommandTimeout = 5 * time.Second
	for _, limit := range []int64{0, 1234} {
		o := &GetOptions{F: f, getSpec: getSpec{Key: "r/", Prefix: true, Consistency: "l", Limit: limit}}
		_, end := o.keyRange()
		var paged, streamed []string
		collect := func(dst *[]string) func([]*mvccpb.KeyValue) error {
			return func(kvs []*mvccpb.KeyValue) error {
				for _, kv := range kvs {
					*dst = append(*dst, string(kv.Key)+"="+string(kv.Value))
				}
				return nil
			}
		}
		require.NoError(t, o.pageRest(cli, "r/\x00", end, pinned, 7, 0, collect(&paged)))
		ok, err := o.streamRest(cli, "r/\x00", end, pinned, 0, collect(&streamed))
		require.NoError(t, err)
		require.True(t, ok, "this server offers RangeStream")
		want := 3000
		if limit > 0 {
			want = int(limit)
		}
		assert.Len(t, paged, want)
		assert.Equal(t, paged, streamed)
		assert.Equal(t, "r/00000=0", paged[0], "read at the pinned revision")
	}
}
