package commands_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"
)

type duGroupJSON struct {
	Prefix string  `json:"prefix"`
	Depth  int     `json:"depth"`
	Keys   int64   `json:"keys"`
	Bytes  int64   `json:"bytes"`
	Share  float64 `json:"share"`
}

type duDocJSON struct {
	Prefix   string        `json:"prefix"`
	Depth    int           `json:"depth"`
	Revision int64         `json:"revision"`
	Keys     int64         `json:"keys"`
	Bytes    int64         `json:"bytes"`
	Prefixes []duGroupJSON `json:"prefixes"`
}

// duExpect sums a full listing the plain way: for each key, its path at every level lo..hi
// (a key with fewer segments is its own path, counted once).
func duExpect(kvs []*struct{ k, v string }, prefix string, lo, hi int) (map[string]duGroupJSON, int64, int64) {
	out := map[string]duGroupJSON{}
	var keys, bytes int64
	for _, kv := range kvs {
		if !strings.HasPrefix(kv.k, prefix) {
			continue
		}
		size := int64(len(kv.k) + len(kv.v))
		keys++
		bytes += size
		lead, rest := "", kv.k
		if strings.HasPrefix(rest, "/") {
			lead, rest = "/", rest[1:]
		}
		parts := strings.Split(rest, "/")
		seen := map[string]bool{}
		for d := lo; d <= hi; d++ {
			path := lead + strings.Join(parts[:min(d, len(parts))], "/")
			if seen[path] {
				continue
			}
			seen[path] = true
			g := out[path]
			g.Prefix, g.Depth = path, max(min(d, len(parts)), lo)
			g.Keys++
			g.Bytes += size
			out[path] = g
		}
	}
	return out, keys, bytes
}

func TestDu(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	ctx := context.Background()

	// A Kubernetes-like layout, big enough (2,600 keys) to be read in several chunks.
	var data []*struct{ k, v string }
	add := func(k, v string) { data = append(data, &struct{ k, v string }{k, v}) }
	for i := 0; i < 1500; i++ {
		add(fmt.Sprintf("/registry/pods/ns%d/pod-%04d", i%7, i), strings.Repeat("p", 200+i%50))
	}
	for i := 0; i < 800; i++ {
		add(fmt.Sprintf("/registry/configmaps/ns%d/cm-%04d", i%3, i), strings.Repeat("c", 300))
	}
	for i := 0; i < 300; i++ {
		add(fmt.Sprintf("/registry/events/ev-%04d", i), strings.Repeat("e", 10))
	}
	add("/registry", "root-key")
	add("/registryx/a", "x")
	add("flat", "no slash")
	add("other/deep/key", "vvv")
	for _, kv := range data {
		_, err := cli.Put(ctx, kv.k, kv.v)
		require.NoError(t, err)
	}
	// The full listing the expectations are computed from.
	resp, err := cli.Get(ctx, "", clientv3.WithFromKey())
	require.NoError(t, err)
	require.Len(t, resp.Kvs, len(data))
	data = data[:0]
	for _, kv := range resp.Kvs {
		add(string(kv.Key), string(kv.Value))
	}
	rev := resp.Header.Revision

	ours := difftest.OurBinary(t)
	ep := "--endpoints=" + c.Hosts()[0]
	run := func(args ...string) difftest.Result {
		return difftest.Run(t, ours, append([]string{ep}, args...), difftest.Opts{})
	}

	for _, tc := range []struct {
		prefix string
		depth  int
		lo, hi int
	}{
		{"", 0, 1, 1},
		{"", 2, 1, 2},
		{"/registry", 0, 2, 2},
		{"/registry", 2, 2, 2},
		{"/registry/", 3, 2, 3},
		{"/registry/pods", 4, 3, 4},
		{"/registry/pods", 1, 1, 1},
		{"/nothing-here", 0, 2, 2},
	} {
		t.Run(fmt.Sprintf("prefix=%q depth=%d", tc.prefix, tc.depth), func(t *testing.T) {
			args := []string{"-w", "json", "du"}
			if tc.prefix != "" {
				args = append(args, tc.prefix)
			}
			if tc.depth != 0 {
				args = append(args, "--depth", strconv.Itoa(tc.depth))
			}
			r := run(args...)
			require.Equal(t, 0, r.Code, "%s", r.Stderr)
			var doc duDocJSON
			require.NoError(t, json.Unmarshal(r.Stdout, &doc))
			want, keys, bytes := duExpect(data, tc.prefix, tc.lo, tc.hi)
			assert.Equal(t, rev, doc.Revision)
			assert.Equal(t, keys, doc.Keys)
			assert.Equal(t, bytes, doc.Bytes)
			assert.Equal(t, tc.hi, doc.Depth)
			got := map[string]duGroupJSON{}
			for i, g := range doc.Prefixes {
				if i > 0 {
					assert.GreaterOrEqual(t, doc.Prefixes[i-1].Bytes, g.Bytes, "sorted by bytes, largest first")
				}
				assert.InDelta(t, float64(g.Bytes)/float64(bytes), g.Share, 1e-9)
				g.Share = 0
				got[g.Prefix] = g
			}
			assert.Equal(t, want, got)
		})
	}

	// The resource types of a Kubernetes cluster, in every format.
	r := run("du", "/registry", "--depth", "2")
	require.Equal(t, 0, r.Code, "%s", r.Stderr)
	want, keys, bytes := duExpect(data, "/registry", 2, 2)
	var groups []duGroupJSON
	for _, g := range want {
		groups = append(groups, g)
	}
	sort.Slice(groups, func(i, j int) bool { return groups[i].Bytes > groups[j].Bytes })
	var sb strings.Builder
	for _, g := range groups {
		fmt.Fprintf(&sb, "%d\t%d\t%.1f%%\t%s\n", g.Bytes, g.Keys, 100*float64(g.Bytes)/float64(bytes), g.Prefix)
	}
	fmt.Fprintf(&sb, "%d\t%d\t100.0%%\ttotal\nrevision %d\n", bytes, keys, rev)
	assert.Equal(t, sb.String(), string(r.Stdout))
	assert.Empty(t, string(r.Stderr), "no progress when stderr is not a terminal")
	assert.Equal(t, "/registry/pods", groups[0].Prefix)

	r = run("du", "/registry", "--top", "2")
	require.Equal(t, 0, r.Code)
	lines := strings.Split(strings.TrimSpace(string(r.Stdout)), "\n")
	require.Len(t, lines, 4, "two groups, the total, the revision")
	assert.True(t, strings.HasSuffix(lines[0], "\t/registry/pods"))
	assert.True(t, strings.HasSuffix(lines[1], "\t/registry/configmaps"))
	assert.Equal(t, fmt.Sprintf("%d\t%d\t100.0%%\ttotal", bytes, keys), lines[2])

	r = run("-w", "table", "du", "/registry", "--depth", "2")
	require.Equal(t, 0, r.Code)
	out := string(r.Stdout)
	for _, h := range []string{"PREFIX", "KEYS", "BYTES", "SIZE", "SHARE", "/registry/pods", "/registry/events", "total"} {
		assert.Contains(t, out, h)
	}
	assert.Contains(t, out, fmt.Sprintf("revision %d\n", rev))
	assert.Less(t, strings.Index(out, "/registry/pods"), strings.Index(out, "/registry/configmaps"))

	r = run("--hex", "-w", "json", "du", "/registry", "--top", "1")
	require.Equal(t, 0, r.Code)
	var doc duDocJSON
	require.NoError(t, json.Unmarshal(r.Stdout, &doc))
	require.Len(t, doc.Prefixes, 1)
	assert.Equal(t, "2f72656769737472792f706f6473", doc.Prefixes[0].Prefix) // /registry/pods

	// Unsupported formats and bad arguments, as upstream's printers and argument checks end.
	for _, f := range []string{"fields", "protobuf"} {
		r = run("-w", f, "du")
		assert.Equal(t, 4, r.Code)
		assert.Equal(t, "Error: "+f+" not supported as output format", r.FirstErrLine())
		assert.Empty(t, r.Stdout)
	}
	r = run("-w", "bogus", "du")
	assert.Equal(t, 4, r.Code)
	for _, args := range [][]string{{"du", "a", "b"}, {"du", "--depth", "-1"}, {"du", "--top", "-2"}} {
		r = run(args...)
		assert.Equal(t, 128, r.Code, "%v", args)
		assert.Empty(t, r.Stdout)
	}
	r = run("du", "--depth", "x")
	assert.Equal(t, 1, r.Code, "a flag error, as every verb")
}

// du is ours: hidden from the root help, documented in its own.
func TestDuHelp(t *testing.T) {
	ours := difftest.OurBinary(t)
	r := difftest.Run(t, ours, []string{"--help"}, difftest.Opts{})
	assert.NotContains(t, string(r.Stdout), "du ")
	r = difftest.Run(t, ours, []string{"du", "--help"}, difftest.Opts{})
	require.Equal(t, 0, r.Code)
	for _, s := range []string{"etcdctl du [options] [prefix]", "--depth", "--top", "/registry --depth 2"} {
		assert.Contains(t, string(r.Stdout), s)
	}
}
