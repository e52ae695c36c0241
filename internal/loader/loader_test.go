package loader_test

import (
	"context"
	"errors"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/loader"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"
)

func TestLoaderGenerate(t *testing.T) {
	read := func(s loader.Source) []loader.Record {
		var out []loader.Record
		for {
			r, err := s.Next()
			if errors.Is(err, io.EOF) {
				return out
			}
			require.NoError(t, err)
			out = append(out, r)
		}
	}
	a := read(loader.Generate("/p/", 50, 37, false))
	b := read(loader.Generate("/p/", 50, 37, false))
	require.Len(t, a, 50)
	assert.Equal(t, a, b, "deterministic")
	assert.Equal(t, "/p/00000007", string(a[7].Key))
	assert.Equal(t, loader.Key("/p/", 50, 7), string(a[7].Key))
	assert.Equal(t, loader.Value(37, false, 7), a[7].Value)
	assert.Len(t, a[7].Value, 37)
	assert.NotEqual(t, a[6].Value, a[7].Value)
	for _, c := range a[7].Value {
		assert.Contains(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", string(c))
	}
	assert.Equal(t, "/p/123456789", loader.Key("/p/", 1000000000, 123456789))
	bin := read(loader.Generate("/b/", 3, 4096, true))
	assert.Equal(t, loader.Value(4096, true, 2), bin[2].Value)
}

type loaderSlice struct {
	recs []loader.Record
	err  error // returned after the records
}

func (s *loaderSlice) Next() (loader.Record, error) {
	if len(s.recs) == 0 {
		if s.err != nil {
			return loader.Record{}, s.err
		}
		return loader.Record{}, io.EOF
	}
	r := s.recs[0]
	s.recs = s.recs[1:]
	return r, nil
}

func TestLoaderWrite(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	count := func(prefix string) int64 {
		r, err := cli.Get(ctx, prefix, clientv3.WithPrefix(), clientv3.WithCountOnly())
		require.NoError(t, err)
		return r.Count
	}

	t.Run("generated data set", func(t *testing.T) {
		var mu sync.Mutex
		var last int64
		res, err := loader.Write(ctx, cli, loader.Generate("/gen/", 1000, 100, true), loader.Options{
			MaxTxnOps: 50, Concurrency: 4, Progress: func(n int64) { mu.Lock(); last = max(last, n); mu.Unlock() },
		})
		require.NoError(t, err)
		assert.Equal(t, int64(1000), res.Written)
		assert.Equal(t, int64(1000), last)
		// 20 full batches at best; each of the 4 workers may end on a partial one.
		assert.GreaterOrEqual(t, res.Txns, int64(20))
		assert.LessOrEqual(t, res.Txns, int64(24))
		assert.Equal(t, int64(1000), count("/gen/"))
		r, err := cli.Get(ctx, loader.Key("/gen/", 1000, 999))
		require.NoError(t, err)
		require.Len(t, r.Kvs, 1)
		assert.Equal(t, loader.Value(100, true, 999), r.Kvs[0].Value)
	})

	t.Run("byte cap cuts batches", func(t *testing.T) {
		res, err := loader.Write(ctx, cli, loader.Generate("/cap/", 10, 1000, false), loader.Options{MaxTxnBytes: 2500, Concurrency: 1})
		require.NoError(t, err)
		assert.Equal(t, int64(10), res.Written)
		assert.Equal(t, int64(5), res.Txns) // two records of ~1 KiB per batch
	})

	t.Run("duplicates keep input order", func(t *testing.T) {
		var recs []loader.Record
		for round := 0; round < 10; round++ {
			for k := 0; k < 13; k++ {
				recs = append(recs, loader.Record{Key: []byte{'/', 'd', '/', byte('a' + k)}, Value: []byte{byte('0' + round)}})
			}
		}
		_, err := loader.Write(ctx, cli, &loaderSlice{recs: recs}, loader.Options{MaxTxnOps: 4, Concurrency: 3})
		require.NoError(t, err)
		r, err := cli.Get(ctx, "/d/", clientv3.WithPrefix())
		require.NoError(t, err)
		require.Len(t, r.Kvs, 13)
		for _, kv := range r.Kvs {
			assert.Equal(t, "9", string(kv.Value), string(kv.Key))
		}
	})

	t.Run("a refused first batch writes nothing", func(t *testing.T) {
		res, err := loader.Write(ctx, cli, loader.Generate("/nolease/", 500, 10, false), loader.Options{Lease: 0x1234})
		var be *loader.BatchError
		require.ErrorAs(t, err, &be)
		assert.Equal(t, int64(0), be.Written)
		assert.Equal(t, int64(0), res.Written)
		assert.Contains(t, err.Error(), "requested lease not found")
		assert.Equal(t, int64(0), count("/nolease/"))
	})

	t.Run("a source error stops the writers", func(t *testing.T) {
		boom := errors.New("boom")
		src := &loaderSlice{err: boom}
		for i := 0; i < 300; i++ {
			src.recs = append(src.recs, loader.Record{Key: []byte(loader.Key("/src/", 300, i)), Value: []byte("v")})
		}
		_, err := loader.Write(ctx, cli, src, loader.Options{MaxTxnOps: 10})
		assert.ErrorIs(t, err, boom)
	})
}
