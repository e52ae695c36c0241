package localcluster

import (
	"context"
	"testing"
	"time"
)

// StartT starts a cluster for a test and stops it when the test ends.
func StartT(t testing.TB, opts Options) *Cluster {
	t.Helper()
	SkipIfShort(t)
	c, err := Start(opts)
	if err != nil {
		t.Fatalf("start local cluster: %v", err)
	}
	t.Cleanup(c.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.WaitHealthy(ctx); err != nil {
		t.Fatalf("local cluster not healthy: %v", err)
	}
	return c
}

// SkipIfShort skips a test that needs a running etcd when tests run with -short (`make
// test-short` runs no cluster at all; Start refuses to under -short).
func SkipIfShort(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("needs a running etcd; -short runs none")
	}
}
