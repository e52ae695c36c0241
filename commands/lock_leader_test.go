package commands_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// The leader dies while `lock` holds the lock: the holder keeps its session through a surviving
// member (the lock stays held, nobody else gets it), never hangs, and still releases on Ctrl-C.
func TestLockSurvivesLeaderDeath(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 3})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	env := "ETCDCTL_ENDPOINTS=" + strings.Join(c.Hosts(), ",")

	holder := lockStart(t, difftest.OurBinary(t), []string{"lock", "ldlock"}, env)
	require.True(t, holder.waitOut(lockAnyLine, 20*time.Second), "lock acquired: %q", holder.err.Bytes())

	lease := lockKeyLease(t, cli, "ldlock")
	li, err := c.Leader(10 * time.Second)
	require.NoError(t, err)
	c.Members[li].Stop()
	_, err = c.Leader(20 * time.Second)
	require.NoError(t, err, "a new leader is elected")

	// The holder's client moves to a surviving member: its session lease is renewed after the
	// leader's death; the holder is still running and its key still there.
	waitLeaseRenewed(t, cli, lease, 30*time.Second)
	require.False(t, holder.exited(), "holder still running: %q", holder.err.Bytes())
	assert.Equal(t, int64(1), lockHeld(t, cli, "ldlock"), "the lock is still held")

	// A second locker must wait: it does not get the lock while the first holds it.
	var live []string
	for i, m := range c.Members {
		if i != li {
			live = append(live, strings.TrimPrefix(m.ClientURL, "http://"))
		}
	}
	waiter := lockStart(t, difftest.OurBinary(t), []string{"lock", "ldlock"}, "ETCDCTL_ENDPOINTS="+strings.Join(live, ","))
	// Queued: its own key is written; it waits behind the holder's and prints nothing.
	waitFor(t, 20*time.Second, "the second locker queued", func() bool { return lockHeld(t, cli, "ldlock") == 2 })
	assert.Empty(t, string(waiter.out.Bytes()), "second locker must wait")
	assert.False(t, waiter.exited(), "second locker must wait")

	// Ctrl-C on the holder releases it; the waiter gets the lock at once.
	res := holder.stop(os.Interrupt)
	assert.Equal(t, 0, res.Code, "holder exit on SIGINT: %q", res.Stderr)
	assert.True(t, waiter.waitOut(lockAnyLine, 10*time.Second), "waiter acquires after release: %q", waiter.err.Bytes())
	waiter.stop(os.Interrupt)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := cli.Get(ctx, "ldlock/", withPrefixCountOnly()...)
	require.NoError(t, err)
	assert.Equal(t, int64(0), resp.Count, "every lock key released")
}

func withPrefixCountOnly() []clientv3.OpOption {
	return []clientv3.OpOption{clientv3.WithPrefix(), clientv3.WithCountOnly()}
}
