package commands_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// leaseNorm masks what differs between two runs: fresh lease IDs (grant) and remaining TTLs.
func leaseNorm(b []byte) []byte {
	s := string(b)
	for _, r := range []struct{ re, to string }{
		{`lease [0-9a-f]{16} granted with TTL\((\d+)s\)\n`, "lease <ID> granted with TTL(${1}s)\n"},
		{`remaining\(\d+s\)`, "remaining(<n>s)"},
		{`"ttl":\d+`, `"ttl":<n>`},
		{`"TTL" : \d+\n"GrantedTTL"`, "\"TTL\" : <n>\n\"GrantedTTL\""},
	} {
		s = regexp.MustCompile(r.re).ReplaceAllString(s, r.to)
	}
	return []byte(s)
}

// leaseGrantNorm masks the fresh ID a grant returns in the json and fields formats.
func leaseGrantNorm(b []byte) []byte {
	b = regexp.MustCompile(`"ID":\d+,`).ReplaceAll(b, []byte(`"ID":<ID>,`))
	return regexp.MustCompile(`"ID" : \d+\n`).ReplaceAll(b, []byte("\"ID\" : <ID>\n"))
}

func leaseGrantFixed(t *testing.T, cli *clientv3.Client, id int64, ttl int64) {
	_, err := pb.NewLeaseClient(cli.ActiveConnection()).LeaseGrant(context.Background(), &pb.LeaseGrantRequest{TTL: ttl, ID: id})
	require.NoError(t, err)
}

func TestLeaseDifferential(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	leaseGrantFixed(t, cli, 0x1111, 600)
	leaseGrantFixed(t, cli, 0x2222, 600)
	_, err = cli.Put(context.Background(), "lk1", "v", clientv3.WithLease(0x1111))
	require.NoError(t, err)
	env := []string{"ETCDCTL_ENDPOINTS=" + c.Hosts()[0]}

	for _, w := range []string{"simple", "json", "fields", "protobuf", "table", "bogus"} {
		for _, a := range []string{
			"lease timetolive 1111", "lease timetolive 1111 --keys", "lease timetolive 2222 --keys", "lease timetolive 1234",
			"lease timetolive 1111 --keys --hex", "lease list", "lease list --hex", "lease keep-alive --once 2222",
			"lease keep-alive --once 1234", "lease keep-alive --once 2222 --hex", "lease grant 100",
		} {
			args := append([]string{"-w", w}, strings.Fields(a)...)
			norms := []difftest.Normalizer{leaseNorm}
			if strings.HasPrefix(a, "lease grant") {
				norms = append(norms, leaseGrantNorm)
			}
			t.Run(strings.Join(args, " "), func(t *testing.T) { difftest.Compare(t, args, difftest.Opts{Env: env}, norms...) })
		}
	}
	for _, a := range []string{
		"lease", "lease bogus", "lease grant", "lease grant abc", "lease grant 10 20", "lease grant 9999999999999999999",
		"lease grant -5", "lease revoke", "lease revoke zz", "lease revoke 1234", "lease timetolive", "lease timetolive zz",
		"lease keep-alive", "lease keep-alive zz", "lease keep-alive 1234", "-w json lease keep-alive 1234",
	} {
		args := strings.Fields(a)
		t.Run(a, func(t *testing.T) { difftest.Compare(t, args, difftest.Opts{Env: env}, leaseNorm) })
	}
	// Revoke and grant on twin clusters in lock-step: the bytes (revisions included, protobuf too)
	// and what is left behind (leases with their TTLs and keys; the keys of a revoked lease gone).
	tw := difftest.NewTwin(t, 1)
	for _, w := range []string{"simple", "json", "fields", "table", "protobuf"} {
		t.Run("revoke "+w, func(t *testing.T) {
			tw.Do(t, func(ctx context.Context, cli *clientv3.Client) error {
				leaseGrantFixed(t, cli, 0x3333, 600)
				leaseGrantFixed(t, cli, 0x5555, 600)
				for _, k := range []string{"rk1", "rk2"} {
					if _, err := cli.Put(ctx, k, "v", clientv3.WithLease(0x3333)); err != nil {
						return err
					}
				}
				_, err := cli.Put(ctx, "rk3", "v", clientv3.WithLease(0x5555))
				return err
			})
			args := []string{"-w", w, "lease", "revoke", "3333"}
			if w == "protobuf" {
				// Upstream revokes, then fails to print, its message ending in the response as Go
				// prints it (a pointer address included); ours stops before the " (&{".
				p := difftest.CompareHosts(t, tw.A.Hosts(), tw.B.Hosts(), args, difftest.Opts{NoErrLines: "upstream's error line holds a pointer address"})
				assert.True(t, strings.HasPrefix(p.Ref.FirstErrLine(), p.Ours.FirstErrLine()+" (&{"), "ours %q, ref %q", p.Ours.FirstErrLine(), p.Ref.FirstErrLine())
			} else {
				tw.Compare(t, args, difftest.Opts{})
			}
			tw.AssertSameState(t, difftest.DumpOpts{NoAuth: true}, "lease revoke 3333")
			tw.Do(t, func(ctx context.Context, cli *clientv3.Client) error {
				_, err := cli.Revoke(ctx, 0x5555)
				return err
			})
		})
	}
	for _, w := range []string{"simple", "json"} {
		t.Run("grant "+w, func(t *testing.T) {
			tw.Compare(t, []string{"-w", w, "lease", "grant", "321"}, difftest.Opts{}, leaseGrantNorm, leaseNorm)
			tw.AssertSameState(t, difftest.DumpOpts{NoAuth: true}, "lease grant 321")
		})
	}
}

// keep-alive renews until the lease is revoked, then reports it and exits 0, as upstream.
func TestLeaseKeepAliveUntilRevoked(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 3})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	leaseGrantFixed(t, cli, 0x4444, 3)
	p := lockStart(t, difftest.OurBinary(t), []string{"lease", "keep-alive", "4444"}, "ETCDCTL_ENDPOINTS="+strings.Join(c.Hosts(), ","))
	require.True(t, p.waitOut(regexp.MustCompile(`keepalived`), 20*time.Second), "first renewal: %q", p.err.Bytes())
	// Kill the leader while it runs: the keep-alive carries on through a surviving member (the
	// lease is renewed after the leader's death, twice: once may be a request already sent).
	li, err := c.Leader(10 * time.Second)
	require.NoError(t, err)
	c.Members[li].Stop()
	waitLeaseRenewed(t, cli, 0x4444, 30*time.Second)
	waitLeaseRenewed(t, cli, 0x4444, 30*time.Second)
	_, err = cli.Revoke(context.Background(), 0x4444)
	require.NoError(t, err)
	r := p.wait(30 * time.Second)
	assert.Equal(t, 0, r.Code)
	out := string(r.Stdout)
	assert.Contains(t, out, "lease 0000000000004444 keepalived with TTL(3)\n")
	assert.True(t, strings.HasSuffix(out, "lease 0000000000004444 expired or revoked.\n"), out)
}

// Upstream's lease list, timetolive and keep-alive --once have no deadline: against a server that
// accepts connections and never answers they wait (killed here), while grant gives up after
// --command-timeout. Found by the generated differential tests (--insecure-skip-tls-verify
// lease list against a plain endpoint).
func TestLeaseNoDeadlineDifferential(t *testing.T) {
	ep := "--endpoints=" + blackHole(t)
	for _, args := range [][]string{
		{ep, "--command-timeout=1s", "lease", "list"},
		{ep, "--command-timeout=1s", "lease", "timetolive", "2a"},
		{ep, "--command-timeout=1s", "lease", "keep-alive", "--once", "2a"},
		{ep, "--command-timeout=1s", "lease", "grant", "10"},
	} {
		t.Run(strings.Join(args[2:], " "), func(t *testing.T) {
			p := difftest.Compare(t, args, difftest.Opts{Timeout: 3 * time.Second})
			if args[3] == "grant" {
				assert.Equal(t, 1, p.Ours.Code)
			} else {
				assert.Equal(t, -1, p.Ours.Code, "killed while waiting")
			}
		})
	}
}

// leaseUniqRecords drops a renewal record equal to the one before it: how many renewals a
// continuous keep-alive prints depends on how long it ran. A record is as many lines as lie
// between the first line and its next occurrence (one in simple and JSON, six in fields).
func leaseUniqRecords(b []byte) []byte {
	lines := strings.SplitAfter(string(b), "\n")
	k := 1
	for i := 1; i < len(lines); i++ {
		if lines[i] == lines[0] {
			k = i
			break
		}
	}
	var out []string
	for i := 0; i < len(lines); {
		if i >= k && i+k <= len(lines) && slices.Equal(lines[i:i+k], lines[i-k:i]) {
			i += k
			continue
		}
		out = append(out, lines[i])
		i++
	}
	return []byte(strings.Join(out, ""))
}

// A continuous keep-alive, ours and the reference on twin clusters, in every format: the renewal
// lines, the end when the lease is revoked, the exit code, compared once repeats are dropped.
func TestLeaseKeepAliveDifferential(t *testing.T) {
	tw := difftest.NewTwin(t, 1)
	a, b := tw.Clients()
	for _, w := range []string{"simple", "json", "fields", "protobuf"} {
		t.Run(w, func(t *testing.T) {
			tw.Do(t, func(ctx context.Context, cli *clientv3.Client) error { leaseGrantFixed(t, cli, 0x4545, 5); return nil })
			args := []string{"-w", w, "lease", "keep-alive", "4545"}
			po := lockStart(t, difftest.OurBinary(t), append([]string{"--endpoints=" + tw.A.Hosts()[0]}, args...))
			pr := lockStart(t, difftest.RefBinary(t), append([]string{"--endpoints=" + tw.B.Hosts()[0]}, args...))
			// Two renewals seen by each server.
			for _, cli := range []*clientv3.Client{a, b} {
				waitLeaseRenewed(t, cli, 0x4545, 30*time.Second)
				waitLeaseRenewed(t, cli, 0x4545, 30*time.Second)
			}
			tw.Do(t, func(ctx context.Context, cli *clientv3.Client) error { _, err := cli.Revoke(ctx, 0x4545); return err })
			ro, rr := po.wait(30*time.Second), pr.wait(30*time.Second)
			norm := []difftest.Normalizer{leaseUniqRecords}
			if w == "protobuf" {
				// One message per renewal, no separator: compare them as field trees.
				ro.Stdout, rr.Stdout = difftest.ProtoText(ro.Stdout), difftest.ProtoText(rr.Stdout)
			}
			ro.Stdout, rr.Stdout = difftest.MaskHosts(tw.A.Hosts(), ro.Stdout), difftest.MaskHosts(tw.B.Hosts(), rr.Stdout)
			assert.NotEmpty(t, rr.Stdout)
			difftest.AssertSame(t, args, difftest.Pair{Ours: ro, Ref: rr}, norm...)
		})
	}
}

func TestLeaseUniqRecords(t *testing.T) {
	rec := "\"ID\" : 1\n\"TTL\" : 5\n"
	assert.Equal(t, rec+"expired\n", string(leaseUniqRecords([]byte(rec+rec+rec+"expired\n"))))
	assert.Equal(t, "a\nb\nexpired\n", string(leaseUniqRecords([]byte("a\na\nb\nb\nexpired\n"))))
	assert.NotEqual(t, string(leaseUniqRecords([]byte(rec+rec))), string(leaseUniqRecords([]byte(rec+"\"ID\" : 2\n"))))
}
