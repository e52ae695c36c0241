package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	clientv3 "go.etcd.io/etcd/client/v3"
)

const (
	mirrorBenchKeys  = 100000
	mirrorBenchValue = 100 // bytes per value
)

// mirrorBenchFill writes n keys under prefix in transactions of 128 puts.
func mirrorBenchFill(b *testing.B, cli *clientv3.Client, prefix string, n int) {
	b.Helper()
	val := strings.Repeat("v", mirrorBenchValue)
	ops := make([]clientv3.Op, 0, 128)
	flush := func() {
		if len(ops) == 0 {
			return
		}
		if _, err := cli.Txn(context.Background()).Then(ops...).Commit(); err != nil {
			b.Fatal(err)
		}
		ops = ops[:0]
	}
	for i := range n {
		ops = append(ops, clientv3.OpPut(fmt.Sprintf("%s%06d", prefix, i), val))
		if len(ops) == cap(ops) {
			flush()
		}
	}
	flush()
}

// mirrorBenchRun runs `make-mirror` with bin until the destination holds all keys under dest,
// and returns the time that took.
func mirrorBenchRun(b *testing.B, bin, src, dst, dest string, dcli *clientv3.Client) time.Duration {
	b.Helper()
	cmd := exec.Command(bin, "--endpoints="+src, "make-mirror", "--prefix", "m/", "--dest-prefix", dest, dst)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	deadline := start.Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		resp, err := dcli.Get(ctx, dest, clientv3.WithPrefix(), clientv3.WithCountOnly())
		cancel()
		if err == nil && resp.Count == mirrorBenchKeys {
			return time.Since(start)
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.Fatalf("%s: not mirrored within 5 minutes", bin)
	return 0
}

// BenchmarkMirror100k: keys/s to mirror 100,000 keys (the base copy) from one local cluster to
// another, our etcdctl against the reference.
func BenchmarkMirror100k(b *testing.B) {
	ours, ref := difftest.OurBinary(b), difftest.RefBinary(b)
	src := localcluster.StartT(b, localcluster.Options{Size: 1})
	dst := localcluster.StartT(b, localcluster.Options{Size: 1})
	scli, err := src.Client()
	if err != nil {
		b.Fatal(err)
	}
	defer scli.Close()
	dcli, err := dst.Client()
	if err != nil {
		b.Fatal(err)
	}
	defer dcli.Close()
	mirrorBenchFill(b, scli, "m/", mirrorBenchKeys)

	var oursT, refT time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		oursT += mirrorBenchRun(b, ours, src.Hosts()[0], dst.Hosts()[0], fmt.Sprintf("ours%d/", i), dcli)
		refT += mirrorBenchRun(b, ref, src.Hosts()[0], dst.Hosts()[0], fmt.Sprintf("ref%d/", i), dcli)
	}
	b.StopTimer()
	oursKps := float64(mirrorBenchKeys*b.N) / oursT.Seconds()
	refKps := float64(mirrorBenchKeys*b.N) / refT.Seconds()
	b.ReportMetric(oursKps, "ours-keys/s")
	b.ReportMetric(refKps, "ref-keys/s")
	b.ReportMetric(oursKps/refKps, "ours/ref")
}
