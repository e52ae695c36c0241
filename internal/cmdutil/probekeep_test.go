package cmdutil

import (
	"context"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// acceptCounter listens on 127.0.0.1 and counts the connections it accepts.
func acceptCounter(t *testing.T) (string, *atomic.Int32) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	var n atomic.Int32
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			t.Cleanup(func() { c.Close() })
		}
	}()
	return l.Addr().String(), &n
}

func waitCount(t *testing.T, n *atomic.Int32, want int32) {
	t.Helper()
	require.Eventually(t, func() bool { return n.Load() == want }, 10*time.Second, 5*time.Millisecond)
}

// The probe's connection is the client's first connection: one TCP connection, not two.
func TestProbeKeepHandsOverItsConnection(t *testing.T) {
	addr, accepted := acceptCounter(t)
	for _, ep := range []string{addr, "http://" + addr} {
		before := accepted.Load()
		k, err := probeKeep([]string{ep}, nil, time.Second, nil)
		require.NoError(t, err)
		require.NotNil(t, k, ep)
		waitCount(t, accepted, before+1)
		c, err := k.Dial(context.Background(), addr)
		require.NoError(t, err)
		defer c.Close()
		assert.Equal(t, before+1, accepted.Load(), "%s: the kept connection, no new dial", ep)
		c2, err := k.Dial(context.Background(), addr)
		require.NoError(t, err)
		defer c2.Close()
		waitCount(t, accepted, before+2) // a reconnect dials anew
	}
}

// Where the client dials its own way (TLS, sockets, a proxy), nothing is kept; a refused
// endpoint still fails at once.
func TestProbeKeepOnlyForPlainTCP(t *testing.T) {
	addr, _ := acceptCounter(t)
	for _, tc := range []struct {
		eps     []string
		environ []string
	}{
		{[]string{"https://" + addr}, nil},
		{[]string{"unix://" + t.TempDir() + "/sock"}, nil},
		{[]string{addr}, []string{"HTTPS_PROXY=http://127.0.0.1:1"}},
		{[]string{addr}, []string{"https_proxy=http://127.0.0.1:1"}},
	} {
		k, _ := probeKeep(tc.eps, nil, 200*time.Millisecond, tc.environ)
		assert.Nil(t, k, "%v %v", tc.eps, tc.environ)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	dead := l.Addr().String()
	l.Close()
	k, err := probeKeep([]string{dead}, nil, time.Second, nil)
	assert.Nil(t, k)
	var refused *RefusedError
	assert.ErrorAs(t, err, &refused)
	assert.True(t, plainTCP([]string{"127.0.0.1:2379", "http://[::1]:2379", "localhost:1"}))
	assert.False(t, plainTCP([]string{"127.0.0.1:2379", "https://h:1"}))
	assert.False(t, plainTCP([]string{"unix:sock"}))
	assert.False(t, plainTCP([]string{"http://h:1/path"}))
}
