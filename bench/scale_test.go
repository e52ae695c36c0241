package bench

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
	MaxRSS  int64 // KiB, from getrusage (through the spawner)
	Bytes   int64 // stdout bytes
	SHA     string
	Stderr  string
	Command string
}

// scaleSpawnerSource is a tiny program that runs its arguments as a child and reports the
// child's exit code and peak RSS on fd 3. Measuring through it matters: Go starts children with
// vfork, and Linux folds the RSS of the memory the child had before exec (the parent's, here a
// test process holding whole etcd clusters) into the child's ru_maxrss. The spawner is small, so
// what it reports is the child's own peak.
const scaleSpawnerSource = `package main

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

func main() {
	syscall.CloseOnExec(3) // the report pipe is not the child's
	report := os.NewFile(3, "report")
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		fmt.Fprintln(report, "error", err)
		os.Exit(1)
	}
	fmt.Fprintln(report, code, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss)
}
`

// scaleSpawner builds the spawner into a temp dir and returns its path.
func scaleSpawner(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(scaleSpawnerSource), 0o644); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module scalespawner\n\ngo 1.21\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command("go", "build", "-o", "spawner", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("building the spawner: %v\n%s", err, out)
	}
	return filepath.Join(dir, "spawner")
}

// scaleChild runs bin with args through the spawner, stdin from stdin (may be nil), its stdout
// read through a pipe (counted and hashed, not kept), and returns the wall time, exit code and
// peak RSS of the child.
func scaleChild(tb testing.TB, spawner string, stdin io.Reader, bin string, args ...string) scaleRun {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, spawner, append([]string{bin}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir()}
	cmd.Stdin = stdin
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	repR, repW, err := os.Pipe()
	if err != nil {
		tb.Fatal(err)
	}
	defer repR.Close()
	cmd.ExtraFiles = []*os.File{repW}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	repW.Close()
	h := sha256.New()
	n, copyErr := io.Copy(h, out)
	err = cmd.Wait()
	r := scaleRun{Took: time.Since(start), Bytes: n, SHA: hex.EncodeToString(h.Sum(nil)), Stderr: stderr.String(),
		Command: bin + " " + strings.Join(args, " ")}
	report, _ := io.ReadAll(repR)
	if copyErr != nil || err != nil {
		tb.Fatalf("running %s: %v %v (%s)", r.Command, copyErr, err, report)
	}
	if _, err := fmt.Sscan(string(report), &r.Code, &r.MaxRSS); err != nil {
		tb.Fatalf("running %s: spawner report %q: %v", r.Command, report, err)
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
	spawner := scaleSpawner(b)
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
				last = scaleChild(b, spawner, nil, v.bin, a...)
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
