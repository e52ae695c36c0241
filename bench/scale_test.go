// Package bench holds the benchmarks that need real clusters and whole processes (`make bench`,
// or `go test -run '^$' -bench . ./bench/`). They report what matters to users as metrics:
// keys per second, wall time, and the peak RSS of the etcdctl process.
package bench

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/loader"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"go.etcd.io/etcd/server/v3/embed"
)

// scaleRun is one finished child process.
type scaleRun struct {
	Code    int
	Took    time.Duration
	MaxRSS  int64 // KiB, from getrusage
	Bytes   int64 // stdout bytes
	SHA     string
	Stderr  string
	Command string
}

// scaleChild runs bin with args, stdin from stdin (may be nil), its stdout read through a pipe
// (counted and hashed, not kept), and returns the wall time and peak RSS of the child.
func scaleChild(tb testing.TB, stdin io.Reader, bin string, args ...string) scaleRun {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir()}
	cmd.Stdin = stdin
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	h := sha256.New()
	n, copyErr := io.Copy(h, out)
	err = cmd.Wait()
	r := scaleRun{Took: time.Since(start), Bytes: n, SHA: hex.EncodeToString(h.Sum(nil)), Stderr: stderr.String(),
		Command: bin + " " + strings.Join(args, " ")}
	if copyErr != nil {
		tb.Fatalf("reading stdout of %s: %v", r.Command, copyErr)
	}
	if ee, ok := err.(*exec.ExitError); ok {
		r.Code = ee.ExitCode()
	} else if err != nil {
		tb.Fatalf("running %s: %v", r.Command, err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.MaxRSS = int64(ru.Maxrss)
	}
	return r
}

// firstLine is the first stderr line that is not a JSON log line.
func (r scaleRun) firstLine() string {
	for _, l := range strings.Split(r.Stderr, "\n") {
		if l != "" && !strings.HasPrefix(l, `{"level"`) {
			return l
		}
	}
	return ""
}

// scaleGetKeys and scaleGetSize are the data set of BenchmarkScaleGetPrefix (about 200 MiB of values).
const (
	scaleGetKeys   = 200000
	scaleGetSize   = 1024
	scaleGetPrefix = "/bench/get/"
)

// BenchmarkScaleGetPrefix reads 200,000 keys of 1 KiB with `get --prefix` into a pipe: the
// reference without and with --stream, and ours the same ways. ns/op is the wall time of one
// get; peak-RSS-MiB is the child's maximum resident set.
func BenchmarkScaleGetPrefix(b *testing.B) {
	ref, ours := difftest.RefBinary(b), difftest.OurBinary(b)
	c := localcluster.StartT(b, localcluster.Options{Size: 1, Configure: scaleBigQuota})
	cli, err := c.Client()
	if err != nil {
		b.Fatal(err)
	}
	defer cli.Close()
	start := time.Now()
	res, err := loader.Write(context.Background(), cli, loader.Generate(scaleGetPrefix, scaleGetKeys, scaleGetSize, false),
		loader.Options{TxnTimeout: time.Minute})
	if err != nil {
		b.Fatalf("loading the data set: %v", err)
	}
	b.Logf("loaded %d keys x %d B in %v (%.0f keys/s)", res.Written, scaleGetSize, time.Since(start).Round(time.Millisecond),
		float64(res.Written)/time.Since(start).Seconds())

	args := []string{"--endpoints=" + c.Hosts()[0], "--command-timeout=10m", "get", "--prefix", scaleGetPrefix}
	var refSHA string
	for _, v := range []struct {
		name   string
		bin    string
		stream bool
	}{
		{"ref", ref, false}, {"ref-stream", ref, true}, {"ours", ours, false}, {"ours-stream", ours, true},
	} {
		b.Run(v.name, func(b *testing.B) {
			a := args
			if v.stream {
				a = append(a[:len(a):len(a)], "--stream")
			}
			var last scaleRun
			var rss int64
			for i := 0; i < b.N; i++ {
				last = scaleChild(b, nil, v.bin, a...)
				if last.Code != 0 {
					// Ours may not have landed yet: say what it does instead of a time.
					b.Logf("%s failed: exit %d: %s", v.name, last.Code, last.firstLine())
					b.ReportMetric(0, "ns/op")
					b.ReportMetric(float64(last.Code), "exit-code")
					return
				}
				rss = max(rss, last.MaxRSS)
			}
			b.SetBytes(last.Bytes)
			b.ReportMetric(float64(rss)/1024, "peak-RSS-MiB")
			b.ReportMetric(last.Took.Seconds(), "wall-s")
			if v.name == "ref" {
				refSHA = last.SHA
			}
			same := "same as"
			if refSHA != "" && last.SHA != refSHA {
				same = "DIFFERENT from"
			}
			b.Logf("%s: %d bytes out (%s the reference without --stream), %v, peak RSS %.1f MiB",
				v.name, last.Bytes, same, last.Took.Round(time.Millisecond), float64(rss)/1024)
		})
	}
}

// scaleBigQuota lifts the backend quota so the data sets fit however often the benchmark runs.
func scaleBigQuota(_ int, cfg *embed.Config) { cfg.QuotaBackendBytes = 8 << 30 }
