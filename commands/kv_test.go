package commands_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

var kvFormats = []string{"simple", "json", "fields", "protobuf", "table", "bogus"}

// kvSeed writes the same keys, a leased key and binary data to both clusters of the twin.
func kvSeed(t *testing.T, tw *difftest.Twin) {
	for i := 0; i < 5; i++ {
		tw.Put(t, fmt.Sprintf("k%d", i), fmt.Sprintf("v%d", i))
	}
	tw.Put(t, "k2", "")       // empty value
	tw.Put(t, "k3", "a b\tc") // whitespace
	tw.Put(t, "b\x01\"\t", "v\xff\xfe\"x")
	tw.Put(t, "z", "last")
	tw.Do(t, func(ctx context.Context, cli *clientv3.Client) error {
		// The same lease ID on both clusters, so outputs compare byte for byte.
		_, err := pb.NewLeaseClient(cli.ActiveConnection()).LeaseGrant(ctx, &pb.LeaseGrantRequest{TTL: 600, ID: 0x1234abcd})
		if err != nil && !strings.Contains(err.Error(), "lease already exists") {
			return err
		}
		_, err = cli.Put(ctx, "kl", "leased", clientv3.WithLease(0x1234abcd))
		return err
	})
}

func TestKVGetDifferential(t *testing.T) {
	tw := difftest.NewTwin(t, 1)
	kvSeed(t, tw)
	cases := []string{
		"get k1", "get nokey", "get k --prefix", "get k --prefix --keys-only", "get k --prefix --limit 2",
		"get k --prefix --limit 100", "get k --prefix --print-value-only", "get k --prefix --count-only",
		"get k1 k3", "get --from-key k2", "get --from-key", "get --prefix", "get k --prefix --sort-by=value --order=descend",
		"get k --prefix --order=DESCEND", "get k --prefix --sort-by=CREATE", "get k --prefix --sort-by=MODIFY --order=ASCEND",
		"get k --prefix --sort-by=VERSION", "get k --prefix --sort-by=KEY", "get b --prefix", "get k --prefix --hex", "get b --prefix --hex",
		"get k --prefix --min-mod-rev=4", "get k --prefix --max-mod-rev=4", "get k --prefix --min-create-rev=3 --max-create-rev=5",
		"get k --prefix --rev=3", "get k --prefix --rev=1000", "get k --prefix --rev=-1", "get k --prefix --stream",
		"get k --prefix --stream --limit 3", "get k --consistency=s --prefix", "get k --keys-only --print-value-only --prefix",
		"get k1 --limit=-1", "get", "get a b c", "get k --prefix --from-key", "get k k3 --prefix", "get k k3 --from-key",
		"get k --consistency=x", "get a b --consistency=x --from-key", "get a b --prefix --consistency=s", "get k --sort-by=bogus", "get k --order=bogus", "get k --sort-by=x --order=y",
		"get k --keys-only --count-only --prefix", "get k1 k3 zz",
		"get k --prefix --stream --sort-by=VALUE", "get k --stream --order=ASCEND --prefix",
		// A negative revision filter filters nothing.
		"get k --prefix --max-create-rev=-1", "get k1 --from-key --max-mod-rev=-1", "get k --prefix --max-mod-rev=-1 --stream", "get k1 --min-create-rev=-5 --sort-by=VALUE", "get k k3 zz --prefix", "get k --bogus-flag", "get k --limit=abc",
	}
	for _, c := range cases {
		for _, w := range kvFormats {
			args := append([]string{"-w", w}, strings.Fields(c)...)
			if c == "get --from-key" || c == "get --prefix" {
				args = append(args, "")
			}
			t.Run(strings.Join(args, " "), func(t *testing.T) { tw.Compare(t, args, difftest.Opts{}) })
		}
	}
}

func TestKVPutDelDifferential(t *testing.T) {
	tw := difftest.NewTwin(t, 1)
	kvSeed(t, tw)
	steps := []struct {
		args  string
		stdin string
	}{
		{"put p1 v1", ""}, {"put p1 v2 --prev-kv", ""}, {"put p1 --ignore-value", ""}, {"put p1 v --ignore-value", ""},
		{"put p1 --ignore-lease", "from-stdin"}, {"put p2", "line1\nline2\n"}, {"put p3", ""}, {"put", ""},
		{"put p4 v --lease=zz", ""}, {"put p4 v --lease=1234", ""}, {"put p4 v --lease=0", ""}, {"put p4 v --lease=1234abcd", ""}, {"put p4 --prev-kv --ignore-value --lease=1234abcd", ""}, {"put a b c", ""}, {"put  v", ""},
		{"put p5 -- -dash", ""}, {"put -- p6 v", ""}, {"put p1 v3 --prev-kv --hex", ""},
		{"del p1", ""}, {"del nokey", ""}, {"del", ""}, {"del a b c", ""}, {"del p --prefix --from-key", ""},
		{"del p2 --prev-kv", ""}, {"del k1 k3 --prev-kv --range", ""}, {"del k --prefix --prev-kv --hex", ""},
		{"del b --from-key", ""}, {"del x y --range", ""}, {"del p5 --range", ""}, {"del --prefix", ""},
	}
	for _, w := range kvFormats {
		for _, s := range steps {
			args := append([]string{"-w", w}, strings.Fields(s.args)...)
			if s.args == "put  v" {
				args = []string{"-w", w, "put", "", "v"}
			}
			if s.args == "del --prefix" {
				args = append(args, "")
			}
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				tw.Compare(t, args, difftest.Opts{Stdin: s.stdin})
			})
		}
		kvSeed(t, tw)
	}
}

func TestKVCompactionDifferential(t *testing.T) {
	tw := difftest.NewTwin(t, 1)
	for i := 0; i < 20; i++ {
		tw.Put(t, "c", fmt.Sprint(i))
	}
	for _, c := range []string{"compaction", "compaction abc", "compaction 3", "compaction 3", "compaction 2",
		"compaction 99999", "-w json compaction 5 --physical", "-w table compaction 6", "compaction 1 2",
		"get c --rev=2", "-w json get c --rev=2"} {
		args := strings.Fields(c)
		t.Run(c, func(t *testing.T) { tw.Compare(t, args, difftest.Opts{}) })
	}
}

// The seed's guide: `get --from-key ”` lists every key; put and del report as upstream.
func TestKVGuideFlow(t *testing.T) {
	tw := difftest.NewTwin(t, 3)
	for _, args := range [][]string{
		{"put", "name", "china"}, {"get", "name"}, {"get", "--from-key", ""}, {"del", "name"}, {"get", "name"},
	} {
		p := tw.Compare(t, args, difftest.Opts{})
		require.Equal(t, 0, p.Ours.Code)
	}
}

func TestKVFailFastOnRefusedEndpoint(t *testing.T) {
	port := freeClosedPort(t)
	ours := difftest.Run(t, difftest.OurBinary(t), []string{"--endpoints=127.0.0.1:" + port, "get", "k"}, difftest.Opts{})
	assert.Equal(t, 1, ours.Code)
	assert.Equal(t, "Error: dial tcp 127.0.0.1:"+port+": connect: connection refused", ours.FirstErrLine())
	assert.Empty(t, ours.Stdout)
}

// Against a dead cluster, the verbs that read their input between making their client and
// their first request (txn, interactive watch) report bad input as upstream does, before the
// fail-fast verdict; and with good input they still fail fast.
func TestRefusedEndpointInputFirst(t *testing.T) {
	port := freeClosedPort(t)
	ep := "--endpoints=127.0.0.1:" + port
	for _, c := range []struct {
		stdin string
		args  []string
	}{
		{"", []string{"txn"}}, {"bad\n", []string{"txn"}}, {"put a b\n", []string{"txn", "-i"}},
		{"\nput a\n", []string{"txn"}}, {"", []string{"watch", "-i"}}, {"bad line\n", []string{"watch", "-i"}},
		{"watch\n", []string{"watch", "-i"}}, {"watch --prefix\n", []string{"watch", "-i"}},
	} {
		args := append([]string{ep, "--command-timeout=2s"}, c.args...)
		t.Run(strings.Join(args, " ")+" <<< "+c.stdin, func(t *testing.T) {
			difftest.Compare(t, args, difftest.Opts{Stdin: c.stdin})
		})
	}
	for _, c := range []struct {
		stdin string
		args  []string
	}{{"\n\nput a b\n\n", []string{"txn"}}, {"bad\nwatch k\n", []string{"watch", "-i"}}} {
		r := difftest.Run(t, difftest.OurBinary(t), append([]string{ep}, c.args...), difftest.Opts{Stdin: c.stdin})
		assert.Equal(t, 1, r.Code, "%v", c.args)
		lines := r.ErrLines()
		require.NotEmpty(t, lines)
		assert.Equal(t, "Error: dial tcp 127.0.0.1:"+port+": connect: connection refused", lines[len(lines)-1], "%v", c.args)
	}
	// With --user the login is the first request: it fails (exit 2) before the input is read.
	p := difftest.Both(t, []string{ep, "--dial-timeout=1s", "--user=u:p", "txn"}, difftest.Opts{Stdin: "bad\n"})
	assert.Equal(t, 2, p.Ref.Code, "%s", p.Ref.Stderr)
	assert.Equal(t, p.Ref.Code, p.Ours.Code, "%s", p.Ours.Stderr)
	assert.Empty(t, p.Ours.Stdout)
}

// Without --range, a range delete warns and waits two seconds, as upstream does.
func TestKVDelRangeWarning(t *testing.T) {
	tw := difftest.NewTwin(t, 1)
	kvSeed(t, tw)
	p := tw.Compare(t, []string{"del", "k1", "k3", "--prev-kv"}, difftest.Opts{})
	assert.Contains(t, p.Ours.FirstErrLine(), `Warning: Keys between "k1" and "k3" will be deleted.`)
}

// Ranges larger than a page are read page by page and must print what one request prints.
func TestKVGetPagedDifferential(t *testing.T) {
	tw := difftest.NewTwin(t, 1)
	tw.Do(t, func(ctx context.Context, cli *clientv3.Client) error {
		val := strings.Repeat("x", 100)
		for i := 0; i < 2600; i += 100 {
			var ops []clientv3.Op
			for j := i; j < i+100; j++ {
				ops = append(ops, clientv3.OpPut(fmt.Sprintf("p/%05d", j), val+fmt.Sprint(j)))
			}
			if _, err := cli.Txn(ctx).Then(ops...).Commit(); err != nil {
				return err
			}
		}
		return nil
	})
	for _, c := range []string{
		"get p/ --prefix", "get p/ --prefix --keys-only", "get p/ --prefix --limit 1500", "get p/ --prefix --limit 2600",
		"get p/ --prefix --limit 2599", "get p/ --prefix --rev=20", "get p/00100 p/02100", "get --from-key p/01000 --limit 1200",
		"get p/ --prefix --order=ASCEND --sort-by=KEY", "get p/ --prefix --print-value-only",
	} {
		for _, w := range []string{"simple", "json", "fields", "protobuf"} {
			args := append([]string{"-w", w}, strings.Fields(c)...)
			if w != "simple" && strings.Contains(c, "print-value-only") {
				continue
			}
			t.Run(strings.Join(args, " "), func(t *testing.T) { tw.Compare(t, args, difftest.Opts{}) })
		}
	}
}

// An empty key with --prefix is the whole keyspace also when the listing cannot be paged (sorted,
// revision filters, count-only): upstream lists every key, it does not send an empty key.
func TestKVGetEmptyPrefixUnpagedDifferential(t *testing.T) {
	tw := difftest.NewTwin(t, 1)
	kvSeed(t, tw)
	cases := []string{
		"get --prefix --sort-by=CREATE", "get --prefix --sort-by=VALUE --stream", "get --prefix --sort-by=CREATE --keys-only --stream",
		"get --prefix --order=DESCEND", "get --prefix --min-mod-rev=3", "get --prefix --count-only", "get --prefix --rev=2 --sort-by=KEY --order=DESCEND",
	}
	for _, c := range cases {
		for _, w := range []string{"simple", "json", "fields"} {
			args := append(append([]string{"-w", w}, strings.Fields(c)...), "")
			t.Run(strings.Join(args, " "), func(t *testing.T) { tw.Compare(t, args, difftest.Opts{}) })
		}
	}
}

// With a user, a refused endpoint fails as fast, but with upstream's exit code: upstream's client
// logs in as it is made and that fails (a bad connection, exit 2), except where a verb reports a
// client it could not make as a general failure (endpoint --cluster, health). The first line is
// the dial error (README: fail fast), so only the exit code and stdout are compared.
func TestRefusedEndpointWithUserExitCodes(t *testing.T) {
	port := freeClosedPort(t)
	ep := "--endpoints=127.0.0.1:" + port
	for _, args := range [][]string{
		{"--user", "root:pw", "get", "k"},
		{"--user", "root", "--password", "pw", "put", "k", "v"},
		{"--user", "root:pw", "lease", "list"},
		{"--user", "root:pw", "member", "list"},
		{"--user", "root:pw", "endpoint", "status"},
		{"--user", "root:pw", "endpoint", "status", "--cluster"},
		{"--user", "root:pw", "endpoint", "health"},
		{"--user", "root:pw", "-w", "json", "user", "list"},
		{"get", "k"},
	} {
		args := append([]string{ep, "--dial-timeout=300ms", "--command-timeout=1s"}, args...)
		t.Run(strings.Join(args[3:], " "), func(t *testing.T) {
			p := difftest.Both(t, args, difftest.Opts{})
			assert.Equal(t, p.Ref.Code, p.Ours.Code, "exit code")
			assert.Equal(t, string(p.Ref.Stdout), string(p.Ours.Stdout), "stdout")
			assert.Contains(t, p.Ours.FirstErrLine()+string(p.Ours.Stderr), "connection refused")
		})
	}
}
