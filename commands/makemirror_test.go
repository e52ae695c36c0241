package commands_test

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/etcdctl-rewritten/etcdctl/internal/testcerts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"
)

func TestMirrorArgsAndHelp(t *testing.T) {
	for _, args := range [][]string{
		{"make-mirror", "--help"}, {"make-mirror"}, {"make-mirror", "a", "b"},
		{"make-mirror", "--dest-prefix", "a", "--no-dest-prefix", "127.0.0.1:1"},
		{"make-mirror", "--dest-cert", "/nonexistent", "127.0.0.1:1"},
		{"make-mirror", "--dest-key", "/nonexistent", "127.0.0.1:1"},
		{"make-mirror", "--dest-cert", "/nonexistent", "--dest-key", "/nonexistent", "127.0.0.1:1"},
		{"make-mirror", "--dest-cacert", "/nonexistent", "127.0.0.1:1"},
		{"make-mirror", "--max-txn-ops", "-1", "127.0.0.1:1"},
		// Not an upstream flag (ours had it hidden, for tests): unknown, worded as upstream.
		{"make-mirror", "--progress-interval", "100ms", "127.0.0.1:1"},
	} {
		t.Run(strings.Join(args, "_"), func(t *testing.T) {
			difftest.Compare(t, args, difftest.Opts{})
		})
	}
}

// mirrorDump is the destination's key-values under prefix, as "key=value" lines.
func mirrorDump(t testing.TB, cli *clientv3.Client, prefix string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := cli.Get(ctx, prefix, clientv3.WithPrefix(), clientv3.WithSort(clientv3.SortByKey, clientv3.SortAscend))
	require.NoError(t, err)
	var sb strings.Builder
	for _, kv := range resp.Kvs {
		fmt.Fprintf(&sb, "%s=%s\n", kv.Key, kv.Value)
	}
	return sb.String()
}

// mirrorWaitCount waits until the destination holds n keys under prefix.
func mirrorWaitCount(t testing.TB, cli *clientv3.Client, prefix string, n int64, timeout time.Duration) bool {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		resp, err := cli.Get(ctx, prefix, clientv3.WithPrefix(), clientv3.WithCountOnly())
		cancel()
		if err == nil && resp.Count == n {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

func mirrorPut(t testing.TB, cli *clientv3.Client, k, v string) int64 {
	t.Helper()
	resp, err := cli.Put(context.Background(), k, v)
	require.NoError(t, err)
	return resp.Header.Revision
}

func mirrorDel(t testing.TB, cli *clientv3.Client, k string) {
	t.Helper()
	_, err := cli.Delete(context.Background(), k)
	require.NoError(t, err)
}

// Runs ours and the reference side by side into different destination prefixes, and compares
// what they wrote (and, with upstream's 30s cadence, the running count they print).
func TestMirrorCluster(t *testing.T) {
	t.Parallel()
	src := localcluster.StartT(t, localcluster.Options{Size: 1})
	dst := localcluster.StartT(t, localcluster.Options{Size: 3})
	scli, err := src.Client()
	require.NoError(t, err)
	defer scli.Close()
	dcli, err := dst.Client()
	require.NoError(t, err)
	defer dcli.Close()
	// The reference is looked up in the subtests that run it: the others run without it.
	ours := difftest.OurBinary(t)
	sep := "--endpoints=" + src.Hosts()[0]
	dep := dst.Hosts()[0]

	// Base state, then live updates (puts, overwrites, deletes) with --dest-prefix; the count
	// printed after 30s is the same number from both.
	t.Run("prefix-and-count", func(t *testing.T) {
		ref := difftest.RefBinary(t)
		for i := range 5 {
			mirrorPut(t, scli, fmt.Sprintf("base/k%d", i), fmt.Sprintf("v%d", i))
		}
		mirrorDel(t, scli, "base/k0")
		o := lockStart(t, ours, []string{sep, "make-mirror", "--prefix", "base/", "--dest-prefix", "ours/", dep})
		r := lockStart(t, ref, []string{sep, "make-mirror", "--prefix", "base/", "--dest-prefix", "ref/", dep})
		require.True(t, mirrorWaitCount(t, dcli, "ours/", 4, 10*time.Second))
		require.True(t, mirrorWaitCount(t, dcli, "ref/", 4, 10*time.Second))
		mirrorPut(t, scli, "base/k1", "changed")
		mirrorPut(t, scli, "base/new", "n")
		mirrorDel(t, scli, "base/k2")
		mirrorDel(t, scli, "base/absent") // no event
		mirrorPut(t, scli, "other/k", "not mirrored")
		want := "k1=changed\nk3=v3\nk4=v4\nnew=n\n"
		assert.Eventually(t, func() bool { return strings.ReplaceAll(mirrorDump(t, dcli, "ours/"), "ours/", "") == want }, 10*time.Second, 50*time.Millisecond)
		assert.Eventually(t, func() bool { return strings.ReplaceAll(mirrorDump(t, dcli, "ref/"), "ref/", "") == want }, 10*time.Second, 50*time.Millisecond)
		line := regexp.MustCompile(`^\d+\n`)
		require.True(t, o.waitOut(line, 40*time.Second), "ours prints the count after 30s")
		require.True(t, r.waitOut(line, 40*time.Second), "the reference prints the count after 30s")
		res := difftest.Pair{Ours: o.stop(syscall.SIGTERM), Ref: r.stop(syscall.SIGTERM)}
		difftest.AssertSame(t, []string{"make-mirror --prefix base/ (30s)"}, res)
		assert.Equal(t, "7\n", string(res.Ours.Stdout), "4 base keys + 3 events")
	})

	// --no-dest-prefix strips the prefix; --rev starts from a revision without a base copy.
	t.Run("no-dest-prefix-and-rev", func(t *testing.T) {
		ref := difftest.RefBinary(t)
		mirrorPut(t, scli, "np/a", "1")
		rev := mirrorPut(t, scli, "np/b", "2")
		mirrorPut(t, scli, "np/c", "3")
		mirrorDel(t, scli, "np/a")
		for _, c := range []struct{ bin, dest string }{{ours, "np-ours/"}, {ref, "np-ref/"}} {
			p := lockStart(t, c.bin, []string{sep, "make-mirror", "--prefix", "np/", "--dest-prefix", c.dest, "--rev", fmt.Sprint(rev), dep})
			assert.True(t, mirrorWaitCount(t, dcli, c.dest, 2, 10*time.Second), c.bin)
			p.stop(syscall.SIGTERM)
		}
		assert.Equal(t, "np-ours/b=2\nnp-ours/c=3\n", mirrorDump(t, dcli, "np-ours/"))
		assert.Equal(t, strings.ReplaceAll(mirrorDump(t, dcli, "np-ref/"), "np-ref/", "np-ours/"), mirrorDump(t, dcli, "np-ours/"))
		// --no-dest-prefix with a short progress interval: TestMirrorNoDestPrefixInProcess.
	})

	// Many updates of one source revision are split by --max-txn-ops into transactions of at most
	// that many operations: the destination's revisions show the split (keys written by one
	// transaction share a mod revision), which must be the reference's. Waiting for the base copy
	// of a first key proves each mirror has started; its watch begins after that copy's revision.
	t.Run("max-txn-ops", func(t *testing.T) {
		ref := difftest.RefBinary(t)
		mirrorPut(t, scli, "txn/_first", "x")
		var procs []*lockProc
		for _, c := range []struct{ bin, dest string }{{ours, "txn-ours/"}, {ref, "txn-ref/"}} {
			procs = append(procs, lockStart(t, c.bin, []string{sep, "make-mirror", "--prefix", "txn/", "--dest-prefix", c.dest, "--max-txn-ops", "3", dep}))
			require.True(t, mirrorWaitCount(t, dcli, c.dest, 1, 20*time.Second), c.bin)
		}
		ops := []clientv3.Op{}
		for i := range 10 {
			ops = append(ops, clientv3.OpPut(fmt.Sprintf("txn/%02d", i), "x"))
		}
		_, err := scli.Txn(context.Background()).Then(ops...).Commit()
		require.NoError(t, err)
		split := map[string][]int{}
		for i, dest := range []string{"txn-ours/", "txn-ref/"} {
			assert.True(t, mirrorWaitCount(t, dcli, dest, 11, 20*time.Second), dest)
			res := procs[i].stop(syscall.SIGTERM)
			assert.Empty(t, res.ErrLines())
			resp, err := dcli.Get(context.Background(), dest, clientv3.WithPrefix())
			require.NoError(t, err)
			byRev := map[int64]int{}
			var revs []int64
			for _, kv := range resp.Kvs {
				if strings.HasSuffix(string(kv.Key), "/_first") {
					continue
				}
				if byRev[kv.ModRevision] == 0 {
					revs = append(revs, kv.ModRevision)
				}
				byRev[kv.ModRevision]++
			}
			sort.Slice(revs, func(i, j int) bool { return revs[i] < revs[j] })
			for _, r := range revs {
				split[dest] = append(split[dest], byRev[r])
			}
		}
		assert.Equal(t, []int{3, 3, 3, 1}, split["txn-ref/"], "the reference's transactions")
		assert.Equal(t, split["txn-ref/"], split["txn-ours/"], "operations per destination transaction (ours, as the reference)")
	})

	// Kill the destination's leader while mirroring through a follower: nothing is lost.
	t.Run("destination-leader-killed", func(t *testing.T) {
		li, err := dst.Leader(10 * time.Second)
		require.NoError(t, err)
		fi := (li + 1) % 3
		p := lockStart(t, ours, []string{sep, "make-mirror", "--prefix", "ha/", dst.Hosts()[fi]})
		const n = 600
		errc := make(chan error, 1)
		go func() {
			for i := range n {
				if _, err := scli.Put(context.Background(), fmt.Sprintf("ha/%04d", i), fmt.Sprint(i)); err != nil {
					errc <- err
					return
				}
				if i%50 == 0 {
					time.Sleep(20 * time.Millisecond)
				}
			}
			errc <- nil
		}()
		// Mirroring is under way (some keys arrived) when the leader dies.
		waitFor(t, 30*time.Second, "first keys mirrored", func() bool {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			resp, err := dcli.Get(ctx, "ha/", clientv3.WithPrefix(), clientv3.WithCountOnly())
			return err == nil && resp.Count > 0
		})
		dst.Members[li].Stop()
		require.NoError(t, <-errc)
		ok := mirrorWaitCount(t, dcli, "ha/", n, 60*time.Second)
		require.NoError(t, dst.Members[li].Restart())
		assert.True(t, ok, "all %d keys mirrored with the old leader down", n)
		assert.False(t, p.exited(), "make-mirror survives the leader's death: %s", p.err.Bytes())
		p.stop(syscall.SIGTERM)
		dump := mirrorDump(t, dcli, "ha/")
		for i := range n {
			assert.Contains(t, dump, fmt.Sprintf("ha/%04d=%d\n", i, i))
		}
	})
}

// make-mirror into a destination that speaks TLS only and requires authentication: the
// --dest-cacert, --dest-insecure-transport=false, --dest-user and --dest-password flags, ours and
// the reference side by side into their own prefixes; then the failures (wrong password, a user
// without permission, no CA) compared by exit code and error lines.
func TestMirrorTLSAuthDestination(t *testing.T) {
	src := localcluster.StartT(t, localcluster.Options{Size: 1})
	scli, err := src.Client()
	require.NoError(t, err)
	defer scli.Close()
	certs := testcerts.New(t)
	dst := tlsStart(t, certs, false, nil)
	authFixture(t, dst, true) // root:rootpw; bob writes [a, b) only
	for i := range 3 {
		mirrorPut(t, scli, fmt.Sprintf("m/k%d", i), fmt.Sprint(i))
	}
	sep := "--endpoints=" + src.Hosts()[0]
	dep := "https://" + dst.c.Hosts()[0]
	tlsFlags := []string{"--dest-cacert", certs.CAFile, "--dest-insecure-transport=false"}

	t.Run("mirrors", func(t *testing.T) {
		for _, c := range []struct {
			bin, dest string
			auth      []string
		}{
			{difftest.OurBinary(t), "ours/", []string{"--dest-user", "root", "--dest-password", "rootpw"}},
			{difftest.RefBinary(t), "ref/", []string{"--dest-user", "root", "--dest-password", "rootpw"}},
			{difftest.OurBinary(t), "ours2/", []string{"--dest-user", "root:rootpw"}},
			{difftest.RefBinary(t), "ref2/", []string{"--dest-user", "root:rootpw"}},
		} {
			args := append(append(append([]string{sep, "make-mirror", "--prefix", "m/", "--dest-prefix", c.dest}, tlsFlags...), c.auth...), dep)
			p := lockStart(t, c.bin, args)
			ok := mirrorWaitCount(t, dst.cli, c.dest, 3, 20*time.Second)
			res := p.stop(syscall.SIGTERM)
			require.True(t, ok, "%s %q mirrored: %s", c.bin, args, res.Stderr)
			assert.Empty(t, res.ErrLines(), "%s %q", c.bin, args)
			assert.Equal(t, "k0=0\nk1=1\nk2=2\n", strings.ReplaceAll(mirrorDump(t, dst.cli, c.dest), c.dest, ""))
		}
	})

	t.Run("failures", func(t *testing.T) {
		for _, extra := range [][]string{
			append(append([]string{}, tlsFlags...), "--dest-user", "root", "--dest-password", "wrong"),
			append(append([]string{}, tlsFlags...), "--dest-user", "bob:bobpw"),
			append(append([]string{}, tlsFlags...), "--dest-user", "root:rootpw", "--dest-password", "rootpw"),
			{"--dest-insecure-transport=false", "--dest-user", "root:rootpw"},
		} {
			args := append(append([]string{sep, "--command-timeout", "5s", "make-mirror", "--prefix", "m/", "--dest-prefix", "fail/"}, extra...), dep)
			t.Run(strings.Join(extra, " "), func(t *testing.T) {
				difftest.Compare(t, args, difftest.Opts{Timeout: 60 * time.Second})
			})
		}
	})
}
