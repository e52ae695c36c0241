package commands_test

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// freeClosedPort is a loopback port with nothing listening on it.
func freeClosedPort(t *testing.T) string {
	p, err := localcluster.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	return strconv.Itoa(p)
}

// blackHole is a loopback endpoint that accepts connections and never answers.
func blackHole(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	return l.Addr().String()
}

// waitFor polls cond every 20 ms until it holds; bound only turns a hang into a failure.
func waitFor(t testing.TB, bound time.Duration, what string, cond func() bool) {
	t.Helper()
	if !poll(bound, cond) {
		t.Fatalf("%s: not within %v", what, bound)
	}
}

// poll polls cond every 20 ms until it holds (true) or bound has passed (false), for callers
// that say more than waitFor when it does not hold.
func poll(bound time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(bound)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}

// waitLeaseRenewed waits until the lease's remaining TTL goes up (a keep-alive reached the
// server), read through cli; it fails when the lease is gone or after bound.
func waitLeaseRenewed(t testing.TB, cli *clientv3.Client, id clientv3.LeaseID, bound time.Duration) {
	t.Helper()
	low := int64(-1)
	waitFor(t, bound, fmt.Sprintf("lease %x renewed", int64(id)), func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		r, err := cli.TimeToLive(ctx, id)
		if err != nil {
			return false // the client may be moving to another member
		}
		if r.TTL < 0 {
			t.Fatalf("lease %x expired", int64(id))
		}
		if low >= 0 && r.TTL > low {
			return true
		}
		if low < 0 || r.TTL < low {
			low = r.TTL
		}
		return false
	})
}

// lockKeyLease is the lease of the only key under name/ (a held lock or a campaign).
func lockKeyLease(t testing.TB, cli *clientv3.Client, name string) clientv3.LeaseID {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := cli.Get(ctx, name+"/", clientv3.WithPrefix())
	if err != nil || len(resp.Kvs) != 1 {
		t.Fatalf("one key under %s/: %v %v", name, err, resp)
	}
	return clientv3.LeaseID(resp.Kvs[0].Lease)
}
