package commands_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/etcdctl-rewritten/etcdctl/printer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.etcd.io/etcd/server/v3/embed"
)

// endpointTookRe matches the time a health check took, where upstream prints it: "took = 3.2ms"
// (simple), "took":"1s" (json), "took: 1s" (fields) and the TOOK cell of the table. Durations
// anywhere else (error messages) are compared as they are.
var endpointTookRe = regexp.MustCompile(`(took = |took |"took":"|"Took" : |│ *|\| *)[0-9]+(\.[0-9]+)?(ns|µs|ms|s|m[0-9.]+s|h[0-9]+m[0-9.]+s)\b`)

// endpointNormTook replaces the took durations with a fixed word.
func endpointNormTook(b []byte) []byte {
	return endpointTookRe.ReplaceAll(b, []byte("${1}DUR"))
}

var endpointCellPadRe = regexp.MustCompile(` *│ *`)

// endpointNormTable sorts the data rows of a health table (endpoints come in completion order)
// and trims the padding of its cells (the TOOK column's width follows the timings); the header
// and the borders stay in place; a row with a different number of cells than the header leaves
// the table as it is (so that it fails).
func endpointNormTable(b []byte) []byte {
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) < 5 {
		return b
	}
	// Every row has the header's number of cells (widths can differ: masked IDs are not as
	// long as the IDs they replace).
	cells := strings.Count(lines[1], "│")
	for _, l := range lines {
		if strings.Contains(l, "│") && strings.Count(l, "│") != cells {
			return b
		}
	}
	// +---+ header +---+ rows... +---+
	rows := append([]string{}, lines[3:len(lines)-1]...)
	sort.Strings(rows)
	out := append(append(append([]string{}, lines[:3]...), rows...), lines[len(lines)-1])
	for i, l := range out {
		if strings.Contains(l, "│") {
			out[i] = endpointCellPadRe.ReplaceAllString(l, "│")
		} else {
			out[i] = "<rule>"
		}
	}
	return []byte(strings.Join(out, "\n") + "\n")
}

// endpointSortLines sorts the lines of the simple format: one line per endpoint, reported in
// completion order.
func endpointSortLines(b []byte) []byte {
	lines := strings.Split(string(b), "\n")
	sort.Strings(lines)
	return []byte(strings.Join(lines, "\n"))
}

// endpointSortJSON sorts a health JSON array by endpoint (completion order otherwise), moving each
// element's bytes as they are: nothing is decoded and encoded again. Output that is not exactly a
// "[elem,elem]" array is left as it is.
func endpointSortJSON(b []byte) []byte {
	var rows []json.RawMessage
	if err := json.Unmarshal(b, &rows); err != nil {
		return b
	}
	parts := make([]string, len(rows))
	for i, r := range rows {
		parts[i] = string(r)
	}
	body := strings.TrimRight(string(b), "\n")
	if "["+strings.Join(parts, ",")+"]" != body {
		return b
	}
	key := func(r string) string {
		var v struct{ Endpoint string }
		json.Unmarshal([]byte(r), &v)
		return v.Endpoint
	}
	sort.SliceStable(parts, func(i, j int) bool { return key(parts[i]) < key(parts[j]) })
	return []byte("[" + strings.Join(parts, ",") + "]" + string(b[len(body):]))
}

// endpointSortFields sorts the blank-line separated blocks of the fields format (one per endpoint).
func endpointSortFields(b []byte) []byte {
	blocks := strings.Split(string(b), "\n\n")
	sort.Strings(blocks)
	return []byte(strings.Join(blocks, "\n\n"))
}

// endpointHealthNorms are the normalizers for `endpoint health` in format w.
func endpointHealthNorms(w string) []difftest.Normalizer {
	n := []difftest.Normalizer{endpointNormTook}
	if w == "table" {
		return []difftest.Normalizer{endpointNormTable, endpointNormTook}
	}
	switch w {
	case "json":
		return append(n, endpointSortJSON)
	case "fields":
		return append(n, endpointSortFields)
	}
	return append(n, endpointSortLines)
}

// endpointCompare is difftest.Compare for commands whose output follows live cluster state (raft
// index, db size in use, storage version move in the background): when the two runs differ it
// runs both again, up to three times, so that only a persistent difference fails.
func endpointCompare(t *testing.T, args []string, opts difftest.Opts, norm ...difftest.Normalizer) difftest.Pair {
	t.Helper()
	var p difftest.Pair
	for attempt := 0; attempt < 3; attempt++ {
		p = difftest.Both(t, args, opts)
		if endpointSame(p, norm) {
			break
		}
	}
	difftest.AssertSame(t, args, p, norm...)
	return p
}

func endpointSame(p difftest.Pair, norm []difftest.Normalizer) bool {
	o, r := p.Ours.Stdout, p.Ref.Stdout
	for _, n := range norm {
		o, r = n(o), n(r)
	}
	return bytes.Equal(o, r) && p.Ours.Code == p.Ref.Code && p.Ours.FirstErrLine() == p.Ref.FirstErrLine()
}

// endpointDeadHost is a loopback address nothing listens on (connections are refused).
func endpointDeadHost(t *testing.T) string {
	t.Helper()
	port, err := localcluster.FreePort()
	require.NoError(t, err)
	return fmt.Sprintf("127.0.0.1:%d", port)
}

func endpointArgs(eps []string, args ...string) []string {
	return append([]string{"--endpoints=" + strings.Join(eps, ",")}, args...)
}

var endpointFormats = []string{"simple", "json", "fields", "table", "protobuf", "bogus"}

func TestEndpointHelp(t *testing.T) {
	for _, args := range [][]string{
		{"endpoint"}, {"endpoint", "--help"}, {"endpoint", "status", "--help"}, {"endpoint", "health", "--help"},
		{"endpoint", "hashkv", "--help"}, {"endpoint", "status", "--bogus"}, {"endpoint", "--bogus"},
		{"endpoint", "hashkv", "--rev", "x"}, {"endpoint", "bogus"}, {"help", "endpoint"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Parallel()
			difftest.Compare(t, args, difftest.Opts{})
		})
	}
}

func TestEndpointHumanBytes(t *testing.T) {
	for n, want := range map[uint64]string{0: "0 B", 9: "9 B", 10: "10 B", 999: "999 B", 1000: "1.0 kB",
		20480: "20 kB", 28672: "29 kB", 16384: "16 kB", 2147483648: "2.1 GB", 250_000_000: "250 MB", 9_940_000: "9.9 MB", 9_960_000: "10 MB"} {
		assert.Equal(t, want, printer.EndpointHumanBytes(n), "%d", n)
	}
}

// TestEndpoint compares status, health and hashkv in every format on a 1- and a 3-member cluster.
func TestEndpoint(t *testing.T) {
	for _, size := range []int{1, 3} {
		t.Run(fmt.Sprintf("members=%d", size), func(t *testing.T) {
			c := endpointStart(t, size)
			eps := c.Hosts()
			for _, cluster := range []bool{false, true} {
				var extra []string
				if cluster {
					extra = []string{"--cluster"}
				}
				for _, w := range endpointFormats {
					for _, verb := range []string{"status", "hashkv"} {
						args := endpointArgs(eps, append([]string{"-w", w, "endpoint", verb}, extra...)...)
						t.Run(strings.Join(args[1:], " "), func(t *testing.T) { endpointCompare(t, args, difftest.Opts{}) })
					}
					args := endpointArgs(eps, append([]string{"-w", w, "endpoint", "health"}, extra...)...)
					t.Run(strings.Join(args[1:], " "), func(t *testing.T) { endpointCompare(t, args, difftest.Opts{}, endpointHealthNorms(w)...) })
				}
			}
			for _, args := range [][]string{
				{"endpoint", "status", "--hex", "-w", "fields"}, {"endpoint", "status", "--hex", "-w", "json"},
				{"endpoint", "status", "--hex"}, {"endpoint", "hashkv", "--hex", "-w", "fields"},
				{"endpoint", "hashkv", "--hex", "-w", "json"}, {"endpoint", "hashkv", "--rev", "1"},
				{"endpoint", "hashkv", "--rev", "1", "-w", "fields"}, {"endpoint", "hashkv", "--rev", "-1", "-w", "json"},
				{"endpoint", "hashkv", "--rev", "100000"}, {"endpoint", "hashkv", "--rev", "100000", "-w", "table"},
				{"endpoint", "status", "extra", "args"}, {"endpoint", "hashkv", "extra"},
				{"endpoint", "status", "--cluster", "--hex", "-w", "table"},
			} {
				args := endpointArgs(eps, args...)
				t.Run(strings.Join(args[1:], " "), func(t *testing.T) { endpointCompare(t, args, difftest.Opts{}) })
			}
			t.Run("health extra", func(t *testing.T) {
				endpointCompare(t, endpointArgs(eps, "endpoint", "health", "extra"), difftest.Opts{}, endpointHealthNorms("simple")...)
			})
			t.Run("env endpoints", func(t *testing.T) {
				endpointCompare(t, []string{"endpoint", "status", "-w", "table"},
					difftest.Opts{Env: []string{"ETCDCTL_ENDPOINTS=" + strings.Join(eps, ",")}})
			})
		})
	}
}

// TestEndpointDead compares the commands with a member that refuses connections. The reference
// waits for --command-timeout (1s here) on it; ours must answer at once with the same output.
func TestEndpointDead(t *testing.T) {
	c := endpointStart(t, 1)
	live := c.Hosts()[0]
	dead := endpointDeadHost(t)
	type tc struct {
		args []string
		norm []difftest.Normalizer
	}
	// Health checks run in their own group: they would advance the raft index under status.
	groups := map[string][]tc{}
	// Every format with the dead member second; the main formats with it first or alone.
	for _, k := range []struct {
		eps     []string
		formats []string
	}{{[]string{live, dead}, endpointFormats}, {[]string{dead, live}, []string{"simple", "table"}}, {[]string{dead}, []string{"simple", "json"}}} {
		eps := k.eps
		for _, w := range k.formats {
			groups["status"] = append(groups["status"],
				tc{args: endpointArgs(eps, "--command-timeout=1s", "-w", w, "endpoint", "status")},
				tc{args: endpointArgs(eps, "--command-timeout=1s", "-w", w, "endpoint", "hashkv")})
			groups["health"] = append(groups["health"],
				tc{args: endpointArgs(eps, "--command-timeout=1s", "-w", w, "endpoint", "health"), norm: endpointHealthNorms(w)})
		}
	}
	groups["status"] = append(groups["status"],
		tc{args: endpointArgs([]string{dead}, "--command-timeout=1s", "endpoint", "status", "--cluster")},
		tc{args: endpointArgs([]string{dead, live}, "--command-timeout=1s", "endpoint", "status", "--cluster", "-w", "table")})
	groups["health"] = append(groups["health"],
		tc{args: endpointArgs([]string{dead}, "--command-timeout=1s", "endpoint", "health", "--cluster")})
	for _, g := range []string{"status", "health"} {
		t.Run(g, func(t *testing.T) {
			for _, k := range groups[g] {
				t.Run(strings.Join(k.args[1:], " "), func(t *testing.T) {
					t.Parallel()
					endpointCompare(t, k.args, difftest.Opts{}, k.norm...)
				})
			}
		})
	}
}

// TestEndpointSlow checks that a member that accepts connections but never answers still gets
// the whole --command-timeout (the fast path only applies to refused connections).
func TestEndpointSlow(t *testing.T) {
	c := endpointStart(t, 1)
	l, err := endpointSilentListener()
	require.NoError(t, err)
	defer l.Close()
	args := endpointArgs([]string{c.Hosts()[0], l.Addr().String()}, "--command-timeout=1s", "endpoint", "status")
	p := endpointCompare(t, args, difftest.Opts{})
	assert.GreaterOrEqual(t, p.Ours.Took.Seconds(), 0.95, "a slow member keeps the command timeout")
	assert.True(t, bytes.Contains(p.Ours.Stderr, []byte("(context deadline exceeded)")))
}

// endpointSilentListener accepts TCP connections on loopback and never answers on them.
func endpointSilentListener() (net.Listener, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	go func() {
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	return l, nil
}

// endpointStart starts a cluster and waits until every member's status (raft index, db size in
// use) has settled, so that two runs of `endpoint status` see the same numbers.
func endpointStart(t *testing.T, size int) *localcluster.Cluster {
	t.Helper()
	c := localcluster.StartT(t, localcluster.Options{Size: size})
	endpointSettle(t, c)
	return c
}

// endpointSettle waits until the running members' raft indexes and db sizes stop moving.
func endpointSettle(t *testing.T, c *localcluster.Cluster) {
	t.Helper()
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	snapshot := func() string {
		var sb strings.Builder
		for _, m := range c.Members {
			if !m.Running() {
				continue
			}
			ep := m.ClientURL
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			st, err := cli.Status(ctx, ep)
			cancel()
			if err != nil {
				return err.Error()
			}
			fmt.Fprintf(&sb, "%d/%d/%d/%d/%s/%x;", st.RaftIndex, st.RaftAppliedIndex, st.DbSize, st.DbSizeInUse, st.StorageVersion, st.Leader)
		}
		return sb.String()
	}
	// Settled: three readings in a row agree (100 ms apart); the bound only ends a hang.
	prev, same := snapshot(), 0
	for i := 0; i < 150 && same < 2; i++ {
		time.Sleep(100 * time.Millisecond)
		cur := snapshot()
		if cur == prev {
			same++
		} else {
			same = 0
		}
		prev = cur
	}
}

// TestEndpointAlarm compares health and status while a NOSPACE alarm is raised (status shows it
// in ERRORS, health reports the member unhealthy).
func TestEndpointAlarm(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1, Configure: func(_ int, cfg *embed.Config) {
		cfg.QuotaBackendBytes = 300_000
	}})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	val := strings.Repeat("a", 20_000)
	// The quota counts the backend file, which grows as batches commit (every 100ms).
	deadline := time.Now().Add(20 * time.Second)
	for i := 0; err == nil && time.Now().Before(deadline); i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err = cli.Put(ctx, fmt.Sprintf("alarm-%d", i), val)
		cancel()
		if i%20 == 19 {
			time.Sleep(100 * time.Millisecond)
		}
	}
	require.Error(t, err, "the quota must be exceeded")
	endpointSettle(t, c)
	eps := c.Hosts()
	for _, w := range endpointFormats {
		t.Run("status "+w, func(t *testing.T) {
			endpointCompare(t, endpointArgs(eps, "-w", w, "endpoint", "status"), difftest.Opts{})
		})
		t.Run("health "+w, func(t *testing.T) {
			endpointCompare(t, endpointArgs(eps, "-w", w, "endpoint", "health"), difftest.Opts{}, endpointHealthNorms(w)...)
		})
	}
}

// TestEndpointAuth compares the maintenance verbs against a cluster with authentication: a wrong
// password fails the way upstream's up-front client does (exit 2, or 1 with --cluster, 5 for
// snapshot); a user without roles is healthy (permission denied still proves a commit) but may
// not defragment, hash or snapshot.
func TestEndpointAuth(t *testing.T) {
	c := endpointStart(t, 1)
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = cli.UserAdd(ctx, "root", "rootpw")
	require.NoError(t, err)
	_, err = cli.UserGrantRole(ctx, "root", "root")
	require.NoError(t, err)
	_, err = cli.UserAdd(ctx, "u", "upw")
	require.NoError(t, err)
	_, err = cli.AuthEnable(ctx)
	require.NoError(t, err)
	eps := c.Hosts()
	var cases [][]string
	for _, verb := range [][]string{{"endpoint", "health"}, {"endpoint", "status"}, {"endpoint", "hashkv"}, {"defrag"},
		{"endpoint", "status", "--cluster"}, {"endpoint", "health", "--cluster"}, {"defrag", "--cluster"}, {"endpoint", "hashkv", "--cluster"}} {
		cases = append(cases, endpointArgs(eps, append([]string{"--user", "u:bad"}, verb...)...))
	}
	cases = append(cases,
		endpointArgs(eps, "--user", "u:upw", "endpoint", "health"),
		endpointArgs(eps, "--user", "u:upw", "-w", "json", "endpoint", "health"),
		endpointArgs(eps, "--user", "u:upw", "endpoint", "hashkv"),
		endpointArgs(eps, "--user", "u:upw", "defrag"))
	for _, args := range cases {
		t.Run(strings.Join(args[1:], " "), func(t *testing.T) {
			p := difftest.Both(t, args, difftest.Opts{})
			p.Ours.Stderr, p.Ref.Stderr = defragNormTook(p.Ours.Stderr), defragNormTook(p.Ref.Stderr)
			difftest.AssertSame(t, args, p, endpointNormTook, defragNormTook)
		})
	}
	for _, user := range []string{"u:bad", "u:upw"} {
		t.Run("snapshot save --user "+user, func(t *testing.T) {
			ours, ref, _ := snapshotBoth(t, endpointArgs(eps, "--user", user, "snapshot", "save", "a.db"), nil)
			assert.Equal(t, snapshotFiles(t, ref), snapshotFiles(t, ours))
		})
	}
}
