package commands_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/etcdctl-rewritten/etcdctl/internal/testcerts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
)

// More of the 3.5 and 3.6 dialects against their own references: long-running verbs
// (make-mirror, elect), membership changes, TLS, a v3.6.16 server, check's quick failures.

// dialectProgram is our binary under the name that selects dialect name (etcdctl-3.5), for
// helpers that start processes without extra environment.
func dialectProgram(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "etcdctl-"+name)
	require.NoError(t, os.Symlink(difftest.OurBinary(t), p))
	return p
}

// make-mirror: the base copy, live updates, and the count line printed every 30 s, from all four
// processes (ours and the reference of each release) mirroring the same source at once.
func TestDialectMakeMirror(t *testing.T) {
	src := localcluster.StartT(t, localcluster.Options{Size: 1})
	dst := localcluster.StartT(t, localcluster.Options{Size: 1})
	scli, err := src.Client()
	require.NoError(t, err)
	defer scli.Close()
	dcli, err := dst.Client()
	require.NoError(t, err)
	defer dcli.Close()
	for i := range 3 {
		mirrorPut(t, scli, fmt.Sprintf("mm/k%d", i), fmt.Sprintf("v%d", i))
	}
	sep := "--endpoints=" + src.Hosts()[0]
	type run struct {
		dest string
		p    *lockProc
	}
	runs := map[string][2]run{}
	for _, d := range dialectRefs {
		var pair [2]run
		for i, bin := range []string{dialectProgram(t, d.name), difftest.RefBinaryAt(t, d.version)} {
			dest := fmt.Sprintf("%s-%d/", d.name, i)
			pair[i] = run{dest, lockStart(t, bin, []string{sep, "make-mirror", "--prefix", "mm/", "--dest-prefix", dest, dst.Hosts()[0]})}
		}
		runs[d.name] = pair
	}
	for _, pair := range runs {
		for _, r := range pair {
			require.True(t, mirrorWaitCount(t, dcli, r.dest, 3, 20*time.Second), "base copy to %s", r.dest)
		}
	}
	mirrorPut(t, scli, "mm/k1", "changed")
	mirrorPut(t, scli, "mm/new", "n")
	mirrorDel(t, scli, "mm/k0")
	want := "k1=changed\nk2=v2\nnew=n\n"
	count := regexp.MustCompile(`^\d+\n`)
	for name, pair := range runs {
		for _, r := range pair {
			assert.Eventually(t, func() bool { return strings.ReplaceAll(mirrorDump(t, dcli, r.dest), r.dest, "") == want },
				10*time.Second, 50*time.Millisecond, "%s mirrors to %s", name, r.dest)
			require.True(t, r.p.waitOut(count, 45*time.Second), "%s to %s prints the count after 30s", name, r.dest)
		}
	}
	for _, d := range dialectRefs {
		pair := runs[d.name]
		res := difftest.Pair{Ours: pair[0].p.stop(syscall.SIGTERM), Ref: pair[1].p.stop(syscall.SIGTERM)}
		difftest.AssertSame(t, []string{d.name, "make-mirror --prefix mm/ (30s)"}, res)
		assert.Equal(t, "6\n", string(res.Ours.Stdout), "%s: 3 base keys + 3 events", d.name)
	}
}

// elect with a proposal: the leader's lines in every format, then Ctrl-C resigns.
func TestDialectElect(t *testing.T) {
	for _, d := range dialectRefs {
		t.Run(d.name, func(t *testing.T) {
			tw := difftest.NewTwin(t, 1)
			a, b := tw.Clients()
			ours, ref := dialectProgram(t, d.name), difftest.RefBinaryAt(t, d.version)
			for _, flags := range [][]string{nil, {"-w", "json"}, {"-w", "fields"}, {"--hex"}, {"-w", "protobuf"}, {"-w", "fields", "--hex"}} {
				args := append(append([]string{}, flags...), "elect", "camp"+d.name, "my proposal")
				ro := lockHoldTwin(t, ours, tw.A.Hosts(), a, args, "camp"+d.name, os.Interrupt, nil)
				rr := lockHoldTwin(t, ref, tw.B.Hosts(), b, args, "camp"+d.name, os.Interrupt, nil)
				difftest.AssertSame(t, args, difftest.Pair{Ours: ro, Ref: rr})
			}
			// a format elect cannot print: the error once elected
			tw.Compare(t, []string{"-w", "table", "elect", "t" + d.name, "p"}, dialectOpts(t, d.name, d.version))
		})
	}
}

// member update, remove and promote: ours and the reference each change their own learner of one
// three-member cluster (or the same learner, to the same URLs), then the member lists they leave
// behind are compared.
func TestDialectMemberChanges(t *testing.T) {
	c := localcluster.StartT(t, memberOpts(3))
	cli := memberClient(t, c)
	env := "ETCDCTL_ENDPOINTS=" + c.Hosts()[0] // one member answers: the headers are stable
	port := 31000
	for _, d := range dialectRefs {
		t.Run(d.name, func(t *testing.T) {
			opts := dialectOpts(t, d.name, d.version)
			opts.Env = append(opts.Env, env)
			before := memberIDSet(t, cli)
			lists := func(t *testing.T) {
				for _, w := range memberFormats {
					args := []string{"-w", w, "member", "list"}
					difftest.Compare(t, args, opts)
				}
			}
			// update: the same unstarted learner to the same URLs gives the same answer every time
			id := memberAddLearner(t, cli, "http://127.0.0.9:9")
			hex := strconv.FormatUint(id, 16)
			for _, v := range [][]string{{"-w", "simple"}, {"-w", "json"}, {"-w", "fields"}, {"-w", "table"}, {"-w", "protobuf"}, {"-w", "json", "--hex"}} {
				// (--hex -w json: 3.5 and 3.6 keep decimal IDs here; only their `member list` shows hex)
				args := append([]string{"member", "update", hex, "--peer-urls=http://127.0.0.9:10,http://127.0.0.9:11"}, v...)
				t.Run(strings.Join(args, " "), func(t *testing.T) { difftest.Compare(t, args, opts) })
			}
			t.Run("list after update", lists)
			// promoting a learner that has not started: the server refuses
			t.Run("promote unstarted", func(t *testing.T) { difftest.Compare(t, []string{"member", "promote", hex}, opts) })
			t.Run("promote voter", func(t *testing.T) {
				difftest.Compare(t, []string{"member", "promote", strconv.FormatUint(c.Members[1].ID(), 16)}, opts)
			})
			for _, args := range [][]string{
				{"member", "promote", "12"}, {"member", "remove", "12"}, {"member", "update", "12", "--peer-urls=http://a:1"},
				{"member", "update", hex}, {"member", "remove"}, {"member", "promote"}, {"member", "remove", "zz"},
				{"member", "update", hex, "--peer-urls=unix://b:2"},
			} {
				t.Run(strings.Join(args, " "), func(t *testing.T) { difftest.Compare(t, args, opts) })
			}
			memberRemove(t, cli, id)
			// remove: each binary removes its own new learner
			for _, v := range [][]string{{"-w", "simple"}, {"-w", "json"}, {"-w", "fields"}, {"-w", "table"}} {
				args := append([]string{"member", "remove"}, v...)
				t.Run(strings.Join(args, " "), func(t *testing.T) {
					port++
					oid := memberAddLearner(t, cli, fmt.Sprintf("http://127.0.0.9:%d", port))
					o := difftest.Run(t, difftest.OurBinary(t), append(append([]string{}, args[:2]...), append([]string{strconv.FormatUint(oid, 16)}, v...)...), opts)
					port++
					rid := memberAddLearner(t, cli, fmt.Sprintf("http://127.0.0.9:%d", port))
					r := difftest.Run(t, opts.Ref, append(append([]string{}, args[:2]...), append([]string{strconv.FormatUint(rid, 16)}, v...)...), opts)
					memberCompareCanon(t, args, "simple", o, r, oid, rid, nil, nil, nil)
					if v[1] == "simple" || v[1] == "json" {
						assert.Equal(t, 0, o.Code, o.FirstErrLine())
					}
				})
			}
			// promote: each binary promotes its own started learner (same name, its own ports)
			for _, v := range [][]string{{"-w", "simple"}, {"-w", "json"}} {
				args := append([]string{"member", "promote"}, v...)
				t.Run(strings.Join(args, " "), func(t *testing.T) {
					var res [2]difftest.Result
					var ids [2]uint64
					var subs [2][]string
					for i, bin := range []string{difftest.OurBinary(t), opts.Ref} {
						cp, err := localcluster.FreePort()
						require.NoError(t, err)
						pp, err := localcluster.FreePort()
						require.NoError(t, err)
						l := memberStartLearner(t, cli, "learner", cp, pp)
						res[i] = difftest.Run(t, bin, append(append([]string{}, args[:2]...), append([]string{strconv.FormatUint(l.ID, 16)}, v...)...), opts)
						ids[i] = l.ID
						subs[i] = []string{":" + strconv.Itoa(cp), ":CPORT", ":" + strconv.Itoa(pp), ":PPORT"}
						memberRemove(t, cli, l.ID)
						l.Stop()
					}
					memberCompareCanon(t, args, v[1], res[0], res[1], ids[0], ids[1], subs[0], subs[1], &pb.MemberPromoteResponse{})
					assert.Equal(t, 0, res[0].Code, res[0].FirstErrLine())
				})
			}
			// the state left behind: the same members as before, listed alike
			assert.Equal(t, before, memberIDSet(t, cli))
			t.Run("list after remove", lists)
		})
	}
}

// TLS: CA, client certificate and key flags against a cluster that only speaks TLS, and the
// errors of missing or wrong files.
func TestDialectTLS(t *testing.T) {
	certs := testcerts.New(t)
	other := testcerts.New(t)
	s := tlsStart(t, certs, false, nil)
	authFixture(t, s, false)
	aliceCert, aliceKey := certs.Client(t, "alice", "alice")
	host := s.c.Hosts()[0]
	quick := "--command-timeout=1s"
	cases := [][]string{
		{"--cacert", certs.CAFile, "auth", "status"},
		{"--cacert", certs.CAFile, "-w", "table", "user", "list"},
		{"--cacert", certs.CAFile, "--cert", aliceCert, "--key", aliceKey, "user", "get", "alice"},
		{"--endpoints", host, "--cacert", certs.CAFile, "-w", "json", "auth", "status"},
		{"--insecure-skip-tls-verify", "auth", "status"},
		{"--cacert", filepath.Join(t.TempDir(), "missing.pem"), "auth", "status"},
		{"--cacert", certs.CAFile, "--cert", aliceCert, "auth", "status"},
		{"--cacert", certs.CAFile, "--key", aliceKey, "auth", "status"},
		{"--cacert", certs.CAFile, "--cert", aliceCert, "--key", certs.ServerKey, "auth", "status"},
		{quick, "--cacert", other.CAFile, "auth", "status"},
		{quick, "auth", "status"},
		// 3.5: skipping verification alone keeps plain text; a CA file or
		// --insecure-transport=false turns TLS on
		{"--insecure-skip-tls-verify", "--cacert", other.CAFile, "auth", "status"},
		{"--endpoints", host, "--insecure-transport=false", "--insecure-skip-tls-verify", "auth", "status"},
	}
	for _, d := range dialectRefs {
		t.Run(d.name, func(t *testing.T) {
			o := s.opts("", "ETCDCTL_COMPAT="+d.name)
			o.Ref = difftest.RefBinaryAt(t, d.version)
			o.OnlyFirstErrLine = tlsReasonLine
			for _, args := range cases {
				t.Run(authName(args), func(t *testing.T) { s.compare(t, args, o) })
			}
			// the same through the variable
			ov := o
			ov.Env = append(append([]string{}, o.Env...), "ETCDCTL_INSECURE_SKIP_TLS_VERIFY=true")
			t.Run("ETCDCTL_INSECURE_SKIP_TLS_VERIFY", func(t *testing.T) { s.compare(t, []string{quick, "auth", "status"}, ov) })
		})
	}
}

// On a v3.6.16 server: the kv, lease, member and endpoint verbs in every format. Writes go to
// twin servers in lock-step; the answers that depend on the backend come from one server.
func TestDialectDifferentialOn36Server(t *testing.T) {
	srv := filepath.Join(difftest.RepoRoot(), ".reference", "v3.6.16", "bin", "etcd")
	if _, err := os.Stat(srv); err != nil {
		difftest.SkipOrFail(t, "etcd v3.6.16 server missing: %v", err)
	}
	pa, pb := localcluster.StartProcessT(t, srv), localcluster.StartProcessT(t, srv)
	a, b := []string{pa.Endpoint}, []string{pb.Endpoint}
	leaseIDs := regexp.MustCompile(`\b[0-9a-f]{16}\b|\b[0-9]{15,20}\b`)
	maskLeases := func(out []byte) []byte { return leaseIDs.ReplaceAll(out, []byte("<lease>")) }
	for _, d := range dialectRefs {
		t.Run(d.name, func(t *testing.T) {
			opts := dialectOpts(t, d.name, d.version)
			for _, w := range dialectFormats {
				for _, args := range [][]string{
					{"put", "k-" + w, "v"}, {"put", "k-" + w, "v2", "--prev-kv"}, {"get", "k-" + w},
					{"get", "k", "--prefix", "--keys-only"}, {"get", "k-" + w, "--rev", "1"}, {"del", "k-" + w, "--prev-kv"},
					{"get", "nokey"}, {"lease", "grant", "60"}, {"lease", "list"}, {"lease", "timetolive", "1234"},
					{"lease", "revoke", "1234"}, {"lease", "keep-alive", "--once", "1234"},
				} {
					a2 := append([]string{"-w", w}, args...)
					t.Run(strings.Join(a2, " "), func(t *testing.T) {
						difftest.CompareHosts(t, a, b, a2, opts, maskLeases, dialectNormTable)
					})
				}
				for _, args := range [][]string{{"member", "list"}, {"endpoint", "status"}, {"endpoint", "hashkv"}, {"endpoint", "health"}} {
					a2 := append([]string{"-w", w}, args...)
					t.Run(strings.Join(a2, " "), func(t *testing.T) {
						difftest.CompareHosts(t, a, a, a2, opts, endpointNormTook, dialectNormTable)
					})
				}
			}
		})
	}
}

// check perf and check datascale: the failures that come before any load is run.
func TestDialectCheckValidation(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	_, err = cli.Put(ctx, "/busy/k", "v")
	cancel()
	require.NoError(t, err)
	for _, d := range dialectRefs {
		t.Run(d.name, func(t *testing.T) {
			opts := dialectOpts(t, d.name, d.version)
			opts.Env = append(opts.Env, "ETCDCTL_ENDPOINTS="+c.Hosts()[0])
			for _, args := range [][]string{
				{"check", "perf", "--load=bad"}, {"check", "perf", "--load", "huge"}, {"check", "datascale", "--load=q"},
				{"check", "perf", "--prefix", "/busy/"}, {"check", "datascale", "--prefix", "/busy/"},
				{"check", "perf", "--auto-compact=x"}, {"check", "datascale", "--auto-defrag=x"},
				{"-w", "json", "check", "perf", "--load=bad"}, {"check", "bogus"}, {"check"},
			} {
				t.Run(strings.Join(args, " "), func(t *testing.T) {
					difftest.Compare(t, args, opts)
				})
			}
		})
	}
}
