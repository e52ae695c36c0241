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

	li, err := c.Leader(10 * time.Second)
	require.NoError(t, err)
	c.Members[li].Stop()
	_, err = c.Leader(20 * time.Second)
	require.NoError(t, err, "a new leader is elected")

	// Give the client time to move to a surviving member; the holder must still be running and
	// its key still there.
	time.Sleep(3 * time.Second)
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
	assert.False(t, waiter.waitOut(lockAnyLine, 2*time.Second), "second locker must wait")

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
