package commands_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.etcd.io/etcd/server/v3/embed"
)

// The rolling defragmentation as a user runs it, and its argument checks.
func TestRollingDefragCommand(t *testing.T) {
	c := endpointStart(t, 3)
	ours := difftest.OurBinary(t)
	args := endpointArgs(c.Hosts()[:1], "defrag", "--cluster", "--rolling", "--wait-between", "10ms")
	r := difftest.Run(t, ours, args, difftest.Opts{})
	require.Equal(t, 0, r.Code, "%s", r.Stderr)
	lines := strings.Split(strings.TrimSpace(string(r.Stdout)), "\n")
	require.Len(t, lines, 4, "%s", r.Stdout)
	assert.Contains(t, lines[2], "[leader]")
	assert.True(t, strings.HasPrefix(lines[3], "Reclaimed "))
	assert.Empty(t, r.Stderr, "no progress when stderr is not a terminal")

	// The same lines in every output format (as upstream's defrag); an unknown one is exit 4.
	r = difftest.Run(t, ours, endpointArgs(c.Hosts()[:1], "-w", "json", "defrag", "--cluster", "--rolling"), difftest.Opts{})
	require.Equal(t, 0, r.Code, "%s", r.Stderr)
	assert.Len(t, strings.Split(strings.TrimSpace(string(r.Stdout)), "\n"), 4)
	r = difftest.Run(t, ours, endpointArgs(c.Hosts()[:1], "-w", "bogus", "defrag", "--cluster", "--rolling"), difftest.Opts{})
	assert.Equal(t, 4, r.Code)
	assert.Empty(t, r.Stdout)

	for _, bad := range [][]string{
		{"defrag", "--rolling"},
		{"defrag", "--wait-between", "1s"},
		{"defrag", "--cluster", "--wait-between", "1s"},
		{"defrag", "--cluster", "--rolling", "--wait-between", "-1s"},
	} {
		r := difftest.Run(t, ours, endpointArgs(c.Hosts(), bad...), difftest.Opts{})
		assert.Equal(t, 128, r.Code, "%v", bad)
		assert.Empty(t, r.Stdout)
	}
	r = difftest.Run(t, ours, endpointArgs(c.Hosts(), "defrag", "--rolling"), difftest.Opts{})
	assert.Equal(t, "Error: --rolling requires --cluster", r.FirstErrLine())
}

// A member with two client URLs is defragmented once (members are told apart by ID, not URL).
func TestRollingDefragOncePerMember(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 3, Configure: func(_ int, cfg *embed.Config) {
		port, err := localcluster.FreePort()
		require.NoError(t, err)
		u, err := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", port))
		require.NoError(t, err)
		cfg.ListenClientUrls = append(cfg.ListenClientUrls, *u)
		cfg.AdvertiseClientUrls = append(cfg.AdvertiseClientUrls, *u)
	}})
	ours := difftest.OurBinary(t)
	r := difftest.Run(t, ours, endpointArgs(c.Hosts()[:1], "member", "list"), difftest.Opts{})
	require.Equal(t, 0, r.Code)
	require.Equal(t, 3, strings.Count(string(r.Stdout), ","+"http://127.0.0.1:"), "two client URLs per member: %s", r.Stdout)
	r = difftest.Run(t, ours, endpointArgs(c.Hosts()[:1], "defrag", "--cluster", "--rolling"), difftest.Opts{})
	require.Equal(t, 0, r.Code, "%s", r.Stderr)
	assert.Equal(t, 3, strings.Count(string(r.Stdout), "Defragmented etcd member"), "%s", r.Stdout)
	assert.Contains(t, string(r.Stdout), "Reclaimed ")
}
