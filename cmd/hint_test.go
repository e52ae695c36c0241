package cmd

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"
)

func TestHelpConnectionHintRealErrors(t *testing.T) {
	port, err := localcluster.FreePort()
	require.NoError(t, err)
	ep := fmt.Sprintf("127.0.0.1:%d", port)

	t.Run("refused (fail-fast probe)", func(t *testing.T) {
		err := cmdutil.ProbeEndpoints([]string{ep}, time.Second)
		require.Error(t, err)
		h := ConnectionHint(err, []string{ep})
		assert.Equal(t, "hint: no etcd answered at "+ep+"; set the cluster with --endpoints=host:port[,host:port] or ETCDCTL_ENDPOINTS", h)
	})
	t.Run("default endpoint named as such", func(t *testing.T) {
		h := ConnectionHint(&net.OpError{Op: "dial", Err: errors.New("connection refused")}, []string{"127.0.0.1:2379"})
		assert.Contains(t, h, "127.0.0.1:2379 (the default endpoint)")
	})
	t.Run("silent server: deadline", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		defer l.Close()
		cli, err := clientv3.New(clientv3.Config{Endpoints: []string{l.Addr().String()}, DialTimeout: 200 * time.Millisecond})
		require.NoError(t, err)
		defer cli.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		_, err = cli.Get(ctx, "k")
		require.Error(t, err)
		h := ConnectionHint(err, []string{l.Addr().String(), "127.0.0.1:1"})
		assert.True(t, strings.HasPrefix(h, "hint: "), "%q for %v", h, err)
		assert.Contains(t, h, l.Addr().String()+", 127.0.0.1:1")
		assert.NotContains(t, h, "\n")
	})
}

func TestHelpConnectionHintShapes(t *testing.T) {
	eps := []string{"10.0.0.1:2379"}
	cases := []struct {
		err  error
		want string // prefix of the hint, "" for none
	}{
		{nil, ""},
		{errors.New("etcdserver: user name not found"), ""},
		{cmdutil.BadArgs("get command needs one argument"), ""},
		{errors.New("rpc error: code = Unavailable desc = connection error"), "hint: no etcd answered at 10.0.0.1:2379"},
		{&net.DNSError{Err: "no such host", Name: "etcd.invalid", IsNotFound: true}, "hint: no etcd answered"},
		{fmt.Errorf("wrapped: %w", context.DeadlineExceeded), "hint: 10.0.0.1:2379 did not answer in time"},
		{errors.New("rpc error: code = Unavailable desc = connection error: desc = \"transport: authentication handshake failed: tls: first record does not look like a TLS handshake\""),
			"hint: 10.0.0.1:2379 did not complete a TLS handshake"},
		{errors.New("x509: certificate signed by unknown authority"), "hint: the certificate of 10.0.0.1:2379"},
		{clientv3.ErrNoAvailableEndpoints, "hint: no etcd answered"},
	}
	for _, c := range cases {
		h := ConnectionHint(c.err, eps)
		if c.want == "" {
			assert.Empty(t, h, "%v", c.err)
			continue
		}
		assert.True(t, strings.HasPrefix(h, c.want), "%v: %q", c.err, h)
		assert.NotContains(t, h, "\n")
	}
}
