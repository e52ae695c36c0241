package commands_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
)

// The 3.5 and 3.6 dialects against their own references, on twin v3.7.3 clusters (and a v3.5
// server where the answer depends on it): every verb of that release in every format.

var dialectRefs = []struct{ name, version string }{
	{"3.5", "v3.5.35"},
	{"3.6", "v3.6.16"},
}

func dialectOpts(t *testing.T, name, version string) difftest.Opts {
	return difftest.Opts{Ref: difftest.RefBinaryAt(t, version), Env: []string{"ETCDCTL_COMPAT=" + name}}
}

var dialectFormats = []string{"simple", "json", "fields", "table", "protobuf"}

// dialectReadCommands change nothing on the cluster: run in every format, with and without --hex.
var dialectReadCommands = [][]string{
	{"get", "k1"}, {"get", "k", "--prefix"}, {"get", "k", "--prefix", "--keys-only"},
	{"get", "k", "--prefix", "--count-only"}, {"get", "k", "--prefix", "--limit", "1"},
	{"get", "k", "--prefix", "--sort-by", "VALUE", "--order", "DESCEND"}, {"get", "--from-key", "k2"},
	{"get", "k1", "--print-value-only"}, {"get", "k", "--prefix", "--rev", "2"}, {"get", "nokey"},
	{"member", "list"}, {"endpoint", "status"}, {"endpoint", "hashkv"}, {"endpoint", "health"},
	{"alarm", "list"}, {"auth", "status"}, {"user", "list"}, {"role", "list"}, {"lease", "list"},
	{"user", "get", "nouser"}, {"role", "get", "norole"}, {"lease", "timetolive", "1234"},
	{"get"}, {"put"}, {"del"}, {"compaction"}, {"version"},
	// flags and verbs that do not exist in every release
	{"get", "k1", "--stream"}, {"get", "k1", "--max-create-rev", "9"}, {"member", "list", "--consistency", "s"},
	{"--max-recv-bytes", "1000000", "get", "k1"}, {"--auth-jwt-token", "x", "get", "k1"},
	{"downgrade", "validate", "3.5"}, {"options"}, {"completion"}, {"completion", "tcsh"}, {"snapshot", "status"},
	{"get", "k1", "--bogus"}, {"bogus"},
}

func TestDialectDifferential(t *testing.T) {
	for _, d := range dialectRefs {
		t.Run(d.name, func(t *testing.T) {
			opts := dialectOpts(t, d.name, d.version)
			tw := difftest.NewTwin(t, 1)
			for i := 1; i <= 3; i++ {
				tw.Put(t, fmt.Sprintf("k%d", i), fmt.Sprintf("v%d", i))
			}
			for _, args := range dialectReadCommands {
				for _, w := range dialectFormats {
					for _, hex := range []bool{false, true} {
						a := append([]string{"-w", w}, args...)
						if hex {
							a = append([]string{"--hex"}, a...)
						}
						t.Run(strings.Join(a, " "), func(t *testing.T) {
							if args[0] == "endpoint" && args[1] == "status" {
								// the size in use moves with the backend: ask the same member
								difftest.CompareHosts(t, tw.A.Hosts(), tw.A.Hosts(), a, opts, dialectNormTable)
								return
							}
							tw.Compare(t, a, opts, endpointNormTook, dialectNormTable)
						})
					}
				}
			}
			// Writes, in lock-step on both clusters so that revisions stay equal.
			for _, args := range [][]string{
				{"put", "k4", "v4"}, {"put", "k4", "v5", "--prev-kv"}, {"del", "k4", "--prev-kv"},
				{"del", "k", "--prefix"}, {"compaction", "3"}, {"user", "add", "u1:p"}, {"role", "add", "r1"},
				{"user", "grant-role", "u1", "r1"}, {"role", "grant-permission", "r1", "readwrite", "a", "b"},
				{"role", "get", "r1"}, {"user", "get", "u1"}, {"user", "get", "u1", "--detail"},
				{"user", "list"}, {"role", "list"}, {"user", "delete", "u1"}, {"role", "delete", "r1"},
				{"txn"},
			} {
				for _, w := range []string{"simple", "json", "fields", "table"} {
					a := append([]string{"-w", w}, args...)
					t.Run(strings.Join(a, " "), func(t *testing.T) {
						o := opts
						if args[0] == "txn" {
							o.Stdin = "\nput t1 x\n\n"
						}
						tw.Compare(t, a, o, dialectNormTable)
					})
				}
			}
		})
	}
}

// dialectNormTable collapses the padding of ASCII tables: the twins' masked IDs may differ in
// length (a hex ID has no leading zeros), which moves the column borders.
func dialectNormTable(b []byte) []byte {
	s := string(b)
	if !strings.HasPrefix(s, "+-") {
		return b
	}
	for strings.Contains(s, "--") {
		s = strings.ReplaceAll(s, "--", "-")
	}
	for strings.Contains(s, "  ") {
		s = strings.ReplaceAll(s, "  ", " ")
	}
	return []byte(s)
}

// On a v3.5 server: the status and hash answers carry only 3.5's fields.
func TestDialectDifferentialOn35Server(t *testing.T) {
	srv := filepath.Join(difftest.RepoRoot(), ".reference", "v3.5.35", "bin", "etcd")
	if _, err := os.Stat(srv); err != nil {
		t.Skipf("etcd v3.5.35 server missing: %v", err)
	}
	p := localcluster.StartProcessT(t, srv)
	for _, d := range dialectRefs {
		opts := dialectOpts(t, d.name, d.version)
		opts.Env = append(opts.Env, "ETCDCTL_ENDPOINTS="+p.Endpoint)
		for _, args := range [][]string{{"endpoint", "status"}, {"endpoint", "hashkv"}, {"member", "list"}, {"get", "a"}} {
			for _, w := range dialectFormats {
				a := append([]string{"-w", w}, args...)
				t.Run(d.name+" "+strings.Join(a, " "), func(t *testing.T) {
					difftest.Compare(t, a, opts)
				})
			}
		}
	}
}

// The switch itself: unknown values, flag and variable, program names.
func TestDialectSwitch(t *testing.T) {
	ours := difftest.OurBinary(t)
	run := func(bin string, env []string, args ...string) difftest.Result {
		return difftest.Run(t, bin, args, difftest.Opts{Env: env})
	}
	r := run(ours, []string{"ETCDCTL_COMPAT=3.4"}, "version")
	assert.Equal(t, 1, r.Code)
	assert.Equal(t, `Error: unsupported compat version "3.4" (accepted: 3.5, 3.6, 3.7)`, r.FirstErrLine())
	r = run(ours, nil, "--compat=2", "get", "k")
	assert.Equal(t, 1, r.Code)
	assert.Contains(t, r.FirstErrLine(), "accepted: 3.5, 3.6, 3.7")

	assert.Equal(t, "etcdctl version: 3.7.3\nAPI version: 3.7\n", string(run(ours, nil, "version").Stdout))
	assert.Equal(t, "etcdctl version: 3.6.16\nAPI version: 3.6\n", string(run(ours, nil, "--compat", "3.6", "version").Stdout))
	assert.Equal(t, "etcdctl version: 3.5.35\nAPI version: 3.5\n", string(run(ours, []string{"ETCDCTL_COMPAT=3.5"}, "version").Stdout))

	dir := t.TempDir()
	for _, name := range []string{"etcdctl-3.5", "etcdctl-3.6"} {
		require.NoError(t, os.Symlink(ours, filepath.Join(dir, name)))
	}
	assert.Equal(t, "etcdctl version: 3.5.35\nAPI version: 3.5\n", string(run(filepath.Join(dir, "etcdctl-3.5"), nil, "version").Stdout))
	assert.Equal(t, "etcdctl version: 3.6.16\nAPI version: 3.6\n", string(run(filepath.Join(dir, "etcdctl-3.6"), nil, "version").Stdout))
	// the switch wins over the name
	assert.Equal(t, "etcdctl version: 3.7.3\nAPI version: 3.7\n", string(run(filepath.Join(dir, "etcdctl-3.5"), []string{"ETCDCTL_COMPAT=3.7"}, "version").Stdout))
	assert.Equal(t, "etcdctl version: 3.6.16\nAPI version: 3.6\n", string(run(filepath.Join(dir, "etcdctl-3.5"), nil, "--compat", "3.6", "version").Stdout))

	// flag and variable both set: fatal once the settings are read, as for every global
	port := freeClosedPort(t)
	r = run(ours, []string{"ETCDCTL_COMPAT=3.6"}, "--compat=3.6", "--endpoints=127.0.0.1:"+port, "get", "k")
	assert.Equal(t, 1, r.Code)
	assert.Contains(t, r.FirstErrLine(), `conflicting environment variable "ETCDCTL_COMPAT"`)
	// the flag is in no help page
	for _, c := range []string{"3.5", "3.6", "3.7"} {
		for _, args := range [][]string{{"--help"}, {"get", "--help"}, {"options"}} {
			assert.NotContains(t, string(run(ours, []string{"ETCDCTL_COMPAT=" + c}, args...).Stdout), "compat", "%s %v", c, args)
		}
	}
}

var snapshot35Helper struct {
	once sync.Once
	path string
	err  error
}

// snapshotHelper builds the helper behind 3.5's snapshot file verbs once per test process.
func snapshotHelper(t *testing.T) string {
	t.Helper()
	if p := filepath.Join(filepath.Dir(difftest.OurBinary(t)), "etcdctl-snapshot35"); fileExists(p) {
		return p
	}
	snapshot35Helper.once.Do(func() {
		dir, err := os.MkdirTemp("", "etcdctl-snapshot35-")
		if err != nil {
			snapshot35Helper.err = err
			return
		}
		snapshot35Helper.path = filepath.Join(dir, "etcdctl-snapshot35")
		cmd := exec.Command("go", "build", "-o", snapshot35Helper.path, "./cmd/etcdctl-snapshot35")
		cmd.Dir = difftest.RepoRoot()
		if out, err := cmd.CombinedOutput(); err != nil {
			snapshot35Helper.err = fmt.Errorf("%v\n%s", err, out)
		}
	})
	require.NoError(t, snapshot35Helper.err)
	return snapshot35Helper.path
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// 3.5's `snapshot status` matches the reference on the same file in every format, and
// `snapshot restore` gives a data dir that a v3.7.3 member starts from with the same keys.
func TestDialectSnapshotFileVerbs(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i := 0; i < 20; i++ {
		_, err := cli.Put(ctx, fmt.Sprintf("key%02d", i), fmt.Sprintf("value%d", i))
		require.NoError(t, err)
	}
	_, err = cli.Delete(ctx, "key00")
	require.NoError(t, err)

	dir := t.TempDir()
	snap := filepath.Join(dir, "snap.db")
	opts := dialectOpts(t, "3.5", "v3.5.35")
	opts.Env = append(opts.Env, "ETCDCTL_ENDPOINTS="+strings.Join(c.Hosts(), ","), "ETCDCTL_SNAPSHOT35_HELPER="+snapshotHelper(t))
	r := difftest.Run(t, difftest.OurBinary(t), []string{"snapshot", "save", snap}, opts)
	require.Equal(t, 0, r.Code, string(r.Stderr))
	for _, d := range dialectRefs {
		o := dialectOpts(t, d.name, d.version)
		o.Env = append(o.Env, "ETCDCTL_ENDPOINTS="+strings.Join(c.Hosts(), ","))
		for _, w := range []string{"simple", "json", "table"} {
			oursDir, refDir := t.TempDir(), t.TempDir()
			o.Dir = oursDir
			po := difftest.Run(t, difftest.OurBinary(t), []string{"-w", w, "snapshot", "save", "s.db"}, o)
			o.Dir = refDir
			pr := difftest.Run(t, o.Ref, []string{"-w", w, "snapshot", "save", "s.db"}, o)
			difftest.AssertSame(t, []string{d.name, w, "snapshot save"}, difftest.Pair{Ours: po, Ref: pr})
		}
	}

	for _, w := range dialectFormats {
		for _, args := range [][]string{{"snapshot", "status", snap}, {"snapshot", "status", snap, "--hex"}} {
			difftest.Compare(t, append(args, "-w", w), opts)
		}
	}
	for _, args := range [][]string{
		{"snapshot", "status"}, {"snapshot", "status", filepath.Join(dir, "missing.db")}, {"snapshot", "status", "a", "b"},
		{"snapshot", "restore"}, {"snapshot", "restore", filepath.Join(dir, "missing.db"), "--data-dir", filepath.Join(dir, "x")},
		{"snapshot", "restore", snap, "--bump-revision", "3", "--data-dir", filepath.Join(dir, "y")},
	} {
		difftest.Compare(t, args, opts)
	}
	// defrag of a data directory not in use (3.5's --data-dir)
	for _, d := range []string{"defrag-ours", "defrag-ref"} {
		r := difftest.Run(t, opts.Ref, []string{"snapshot", "restore", snap, "--data-dir", filepath.Join(dir, d)}, difftest.Opts{})
		require.Equal(t, 0, r.Code, string(r.Stderr))
	}
	p := difftest.Both(t, []string{"defrag", "--data-dir", filepath.Join(dir, "defrag-ours")}, opts)
	assert.Equal(t, 0, p.Ours.Code, string(p.Ours.Stderr))
	assert.Equal(t, p.Ref.FirstErrLine(), p.Ours.FirstErrLine())
	assert.Equal(t, string(p.Ref.Stdout), string(p.Ours.Stdout))
	difftest.Compare(t, []string{"defrag", "--data-dir", filepath.Join(dir, "missing")}, opts)

	garbage := filepath.Join(dir, "garbage.db")
	require.NoError(t, os.WriteFile(garbage, []byte("not a db"), 0o644))
	difftest.Compare(t, []string{"snapshot", "status", garbage}, opts)

	// restore options: same answer, same files as the reference (each run in its own folder)
	for _, extra := range [][]string{{"--skip-hash-check"}, {"--bump-revision", "10", "--mark-compacted"},
		{"--initial-memory-map-size", "1000000"}, {"--name", "x", "--initial-cluster", "x=http://localhost:2380"},
		{"--wal-dir", "wal"}, {}} {
		args := append([]string{"snapshot", "restore", snap}, extra...)
		o := opts
		o.Dir = t.TempDir()
		ro := difftest.Run(t, difftest.OurBinary(t), args, o)
		oursDir := o.Dir
		o.Dir = t.TempDir()
		rr := difftest.Run(t, opts.Ref, args, o)
		difftest.AssertSame(t, args, difftest.Pair{Ours: ro, Ref: rr})
		assert.Equal(t, snapshotTree(t, o.Dir), snapshotTree(t, oursDir), "%v", args)
	}

	// restore, then start a v3.7.3 member on the restored data dir
	pp, err := localcluster.FreePort()
	require.NoError(t, err)
	peer := fmt.Sprintf("http://127.0.0.1:%d", pp)
	dataDir := filepath.Join(dir, "restored.etcd")
	r = difftest.Run(t, difftest.OurBinary(t), []string{"snapshot", "restore", snap, "--data-dir", dataDir,
		"--name", "m1", "--initial-cluster", "m1=" + peer, "--initial-advertise-peer-urls", peer,
		"--initial-cluster-token", "restored"}, opts)
	require.Equal(t, 0, r.Code, string(r.Stderr))
	assert.Empty(t, string(r.Stdout))
	assert.Equal(t, "Deprecated: Use `etcdutl snapshot restore` instead.", r.FirstErrLine())
	// the reference restores the same way (compare the files it writes)
	refDir := filepath.Join(dir, "ref.etcd")
	rr := difftest.Run(t, opts.Ref, []string{"snapshot", "restore", snap, "--data-dir", refDir,
		"--name", "m1", "--initial-cluster", "m1=" + peer, "--initial-advertise-peer-urls", peer,
		"--initial-cluster-token", "restored"}, difftest.Opts{})
	require.Equal(t, 0, rr.Code, string(rr.Stderr))
	assert.Equal(t, snapshotTree(t, refDir), snapshotTree(t, dataDir))

	restored := localcluster.StartT(t, localcluster.Options{Configure: func(_ int, cfg *embed.Config) {
		pu, _ := url.Parse(peer)
		cfg.Name = "m1"
		cfg.Dir = dataDir
		cfg.ListenPeerUrls = []url.URL{*pu}
		cfg.AdvertisePeerUrls = []url.URL{*pu}
		cfg.InitialCluster = "m1=" + peer
		cfg.InitialClusterToken = "restored"
	}})
	rcli, err := restored.Client()
	require.NoError(t, err)
	defer rcli.Close()
	want, err := cli.Get(ctx, "key", clientv3.WithPrefix())
	require.NoError(t, err)
	got, err := rcli.Get(ctx, "key", clientv3.WithPrefix())
	require.NoError(t, err)
	require.Equal(t, len(want.Kvs), len(got.Kvs))
	for i := range want.Kvs {
		assert.Equal(t, string(want.Kvs[i].Key), string(got.Kvs[i].Key))
		assert.Equal(t, string(want.Kvs[i].Value), string(got.Kvs[i].Value))
		assert.Equal(t, want.Kvs[i].ModRevision, got.Kvs[i].ModRevision)
	}
}

// snapshotTree lists the files under dir (relative paths).
func snapshotTree(t *testing.T, dir string) []string {
	var out []string
	require.NoError(t, filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, rel)
		return nil
	}))
	return out
}

// ETCDCTL_* variables as each release reads them (variables of flags it does not have are
// ignored there), and argument errors in that release's words.
func TestDialectEnv(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = cli.Put(ctx, "k", "v")
	require.NoError(t, err)
	for _, d := range dialectRefs {
		// Not here, as they differ in the default dialect too (not a dialect matter): a variable
		// and its flag both set (upstream: a JSON fatal log line, ours: an Error line), and
		// ETCDCTL_COMMAND_TIMEOUT (upstream's endpoint, defrag... verbs do read it).
		for _, env := range []string{"ETCDCTL_API=3", "ETCDCTL_WRITE_OUT=json", "ETCDCTL_WRITE_OUT=table", "ETCDCTL_HEX=true",
			"ETCDCTL_HEX=bogus", "ETCDCTL_DIAL_TIMEOUT=bogus", "ETCDCTL_MAX_RECV_BYTES=10",
			"ETCDCTL_AUTH_JWT_TOKEN=abc", "ETCDCTL_BOGUS=1", "ETCDCTL_WRITE_OUT="} {
			for _, args := range [][]string{{"get", "k"}, {"member", "list"}, {"endpoint", "hashkv"}, {"lease", "list"}} {
				opts := dialectOpts(t, d.name, d.version)
				opts.Env = append(opts.Env, env, "ETCDCTL_ENDPOINTS="+strings.Join(c.Hosts(), ","))
				t.Run(d.name+" "+env+" "+strings.Join(args, " "), func(t *testing.T) {
					difftest.CompareHosts(t, c.Hosts(), c.Hosts(), args, opts)
				})
			}
		}
		for _, args := range [][]string{{"snapshot", "save"}, {"snapshot", "save", "a", "b"}, {"lease", "grant"}, {"put"}} {
			t.Run(d.name+" "+strings.Join(args, " "), func(t *testing.T) {
				difftest.Compare(t, args, dialectOpts(t, d.name, d.version))
			})
		}
	}
}

// Leases, watches and locks of each release on one cluster with a fixed history.
func TestDialectVerbs(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	ctx := context.Background()
	leaseGrantFixed(t, cli, 0x1111, 600)
	leaseGrantFixed(t, cli, 0x2222, 600)
	_, err = cli.Put(ctx, "lk1", "v", clientv3.WithLease(0x1111))
	require.NoError(t, err)
	pr, err := cli.Put(ctx, "wk1", "a")
	require.NoError(t, err)
	rev := fmt.Sprint(pr.Header.Revision)
	_, err = cli.Put(ctx, "wk2", "x\xff\"y")
	require.NoError(t, err)
	_, err = cli.Delete(ctx, "wk1")
	require.NoError(t, err)

	for _, d := range dialectRefs {
		opts := dialectOpts(t, d.name, d.version)
		opts.Env = append(opts.Env, "ETCDCTL_ENDPOINTS="+c.Hosts()[0])
		for _, w := range dialectFormats {
			for _, a := range []string{
				"lease timetolive 1111", "lease timetolive 1111 --keys", "lease timetolive 2222 --keys", "lease timetolive 1234",
				"lease list", "lease keep-alive --once 2222", "lease keep-alive --once 1234", "lease grant 100",
				"--hex lease timetolive 1111 --keys",
			} {
				args := append([]string{"-w", w}, strings.Fields(a)...)
				t.Run(d.name+" "+strings.Join(args, " "), func(t *testing.T) {
					difftest.Compare(t, args, opts, leaseNorm, leaseGrantNorm, dialectNormTable)
				})
			}
			// watches replay the fixed history, then are stopped
			for _, a := range []string{"watch --rev " + rev + " --prefix wk", "watch --rev " + rev + " --prefix wk --prev-kv", "--hex watch --rev " + rev + " wk2"} {
				args := append([]string{"-w", w}, strings.Fields(a)...)
				t.Run(d.name+" "+strings.Join(args, " "), func(t *testing.T) {
					t.Parallel() // each waits for its timeout
					o := opts
					o.Timeout = 2 * time.Second
					p := difftest.Both(t, args, o)
					if w == "protobuf" {
						p.Ours.Stdout, p.Ref.Stdout = difftest.ProtoText(p.Ours.Stdout), difftest.ProtoText(p.Ref.Stdout)
					}
					assert.Equal(t, string(p.Ref.Stdout), string(p.Ours.Stdout))
				})
			}
		}
		// lease revoke in every format, each binary revoking a lease of its own (-w protobuf:
		// upstream cannot marshal the response; 3.5 and 3.6 print it in the error as gogo did)
		for wi, w := range dialectFormats {
			ourID, refID := int64(0x7000+wi*2), int64(0x7001+wi*2)
			leaseGrantFixed(t, cli, ourID, 600)
			leaseGrantFixed(t, cli, refID, 600)
			t.Run(d.name+" -w "+w+" lease revoke", func(t *testing.T) {
				o := difftest.Run(t, difftest.OurBinary(t), []string{"-w", w, "lease", "revoke", fmt.Sprintf("%x", ourID)}, opts)
				r := difftest.Run(t, opts.Ref, []string{"-w", w, "lease", "revoke", fmt.Sprintf("%x", refID)}, opts)
				same := func(b []byte) string {
					return strings.ReplaceAll(string(b), fmt.Sprintf("%016x", refID), fmt.Sprintf("%016x", ourID))
				}
				assert.Equal(t, same(r.Stdout), same(o.Stdout))
				assert.Equal(t, r.Code, o.Code)
				assert.Equal(t, r.FirstErrLine(), o.FirstErrLine())
			})
		}
		for _, a := range []string{"lock dl1 -- echo locked", "elect", "elect e1", "lock", "watch", "watch -i k",
			"defrag", "-w json defrag", "move-leader 1", "alarm disarm", "-w json alarm disarm"} {
			args := strings.Fields(a)
			t.Run(d.name+" "+a, func(t *testing.T) { difftest.Compare(t, args, opts, endpointNormTook) })
		}
	}
}

// `member add --learner` in each release's words (the member IDs differ between the runs).
func TestDialectMemberAddLearner(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	ids := regexp.MustCompile(` +[0-9a-f]{12,16}\b`)
	add := func(bin string, opts difftest.Opts, name string) string {
		pp, err := localcluster.FreePort()
		require.NoError(t, err)
		r := difftest.Run(t, bin, []string{"member", "add", name, "--learner", "--peer-urls", fmt.Sprintf("http://127.0.0.1:%d", pp)}, opts)
		require.Equal(t, 0, r.Code, string(r.Stderr))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		ml, err := cli.MemberList(ctx)
		require.NoError(t, err)
		for _, m := range ml.Members {
			if m.IsLearner {
				_, err := cli.MemberRemove(ctx, m.ID)
				require.NoError(t, err)
			}
		}
		return ids.ReplaceAllString(strings.SplitN(string(r.Stdout), "\n", 2)[0], " <id>")
	}
	for _, d := range dialectRefs {
		opts := dialectOpts(t, d.name, d.version)
		opts.Env = append(opts.Env, "ETCDCTL_ENDPOINTS="+c.Hosts()[0])
		assert.Equal(t, add(opts.Ref, opts, "l1"), add(difftest.OurBinary(t), opts, "l1"), d.name)
	}
}

// A member out of space: its alarm in `endpoint status` (long cells, which 3.5/3.6's table
// library wraps at 30 columns) and `alarm list`, and a refused put, in each release's shape.
func TestDialectNoSpace(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Configure: func(_ int, cfg *embed.Config) {
		cfg.QuotaBackendBytes = 256 * 1024
	}})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	big := strings.Repeat("x", 64*1024)
	for i := 0; i < 400; i++ { // until the backend (committed in batches) is over quota
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err = cli.Put(ctx, fmt.Sprintf("big%d", i), big)
		cancel()
		if err != nil {
			break
		}
	}
	require.Error(t, err, "the quota should be reached")
	// The last writes reach the file with the backend's next batch commit, so the database's
	// size could still change between the two runs: a defragmentation commits everything and
	// the alarm refuses any write after it.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	_, err = cli.Defragment(ctx, c.Endpoints()[0])
	cancel()
	require.NoError(t, err)
	for _, d := range dialectRefs {
		opts := dialectOpts(t, d.name, d.version)
		opts.Env = append(opts.Env, "ETCDCTL_ENDPOINTS="+c.Hosts()[0])
		for _, w := range dialectFormats {
			for _, a := range []string{"endpoint status", "alarm list", "put k v"} {
				args := append([]string{"-w", w}, strings.Fields(a)...)
				t.Run(d.name+" "+strings.Join(args, " "), func(t *testing.T) {
					difftest.CompareHosts(t, c.Hosts(), c.Hosts(), args, opts)
				})
			}
		}
	}
}

// With authentication on: credentials, refusals and auth enable/disable in each release's words.
func TestDialectAuth(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err = cli.UserAdd(ctx, "root", "rootpw")
	require.NoError(t, err)
	// added explicitly, the root role lists its implicit permission ["", "\x00")
	_, err = cli.RoleAdd(ctx, "root")
	require.NoError(t, err)
	_, err = cli.UserGrantRole(ctx, "root", "root")
	require.NoError(t, err)
	_, err = cli.Put(ctx, "k", "v")
	require.NoError(t, err)
	env := "ETCDCTL_ENDPOINTS=" + c.Hosts()[0]
	for _, d := range dialectRefs {
		opts := dialectOpts(t, d.name, d.version)
		opts.Env = append(opts.Env, env)
		// enable with each binary in turn (disabled again in between)
		for _, w := range []string{"simple", "json"} {
			var pair difftest.Pair
			for i, bin := range []string{difftest.OurBinary(t), opts.Ref} {
				r := difftest.Run(t, bin, []string{"-w", w, "--user", "root:rootpw", "auth", "enable"}, opts)
				if i == 0 {
					pair.Ours = r
				} else {
					pair.Ref = r
				}
				r = difftest.Run(t, bin, []string{"--user", "root:rootpw", "auth", "disable"}, opts)
				require.Equal(t, 0, r.Code, string(r.Stderr))
			}
			difftest.AssertSame(t, []string{d.name, w, "auth enable"}, pair)
		}
	}
	_, err = cli.AuthEnable(ctx)
	require.NoError(t, err)
	for _, d := range dialectRefs {
		opts := dialectOpts(t, d.name, d.version)
		opts.Env = append(opts.Env, env)
		for _, a := range []string{"--user root:rootpw get k", "--user root:bad get k", "get k", "--user nobody:x get k",
			"--user root:rootpw auth status", "auth status", "--user root:rootpw -w json user list", "--user root --password rootpw get k",
			"--user root:rootpw user get root", "--user root:rootpw role get root", "--user root:rootpw user get root --detail", "--user root:rootpw member list -w table"} {
			args := strings.Fields(a)
			t.Run(d.name+" "+a, func(t *testing.T) {
				difftest.CompareHosts(t, c.Hosts(), c.Hosts(), args, opts, dialectNormTable)
			})
		}
	}
}
