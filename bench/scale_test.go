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
	"slices"
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
	return scaleChildTo(tb, spawner, stdin, nil, bin, args...)
}

// scaleChildTo is scaleChild that also copies the child's stdout to keep (when not nil).
func scaleChildTo(tb testing.TB, spawner string, stdin io.Reader, keep io.Writer, bin string, args ...string) scaleRun {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, spawner, append([]string{bin}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir(),
		"XDG_CONFIG_HOME=" + tb.TempDir()} // no etcdctl context of the developer's
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
	var sink io.Writer = h
	if keep != nil {
		sink = io.MultiWriter(h, keep)
	}
	n, copyErr := io.Copy(sink, out)
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
	scaleGetKeys    = 200000
	scaleGetSize    = 1024
	scaleGetPrefix  = "/bench/get/"
	scaleGetRepeats = 3 // gets per variant; wall-s is their median
)

// BenchmarkScaleGetPrefix reads 200,000 keys of 1 KiB with `get --prefix` into a pipe: the
// reference without and with --stream, and ours the same ways (each 3 times: wall-s is the
// median, peak-RSS-MiB the largest maximum resident set of the child). wall-vs-X and RSS-vs-X
// compare a variant with the reference's run X.
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
	type result struct {
		wall time.Duration
		rss  int64
		sha  string
	}
	results := map[string]result{}
	for _, v := range []struct {
		name, base string // base: the reference run this one is compared with
		bin        string
		stream     bool
	}{
		{"ref", "", ref, false}, {"ref-stream", "ref", ref, true},
		{"ours", "ref", ours, false}, {"ours-stream", "ref-stream", ours, true},
	} {
		b.Run(v.name, func(b *testing.B) {
			a := args
			if v.stream {
				a = append(a[:len(a):len(a)], "--stream")
			}
			var res result
			var bytes int64
			for i := 0; i < b.N; i++ {
				// The median wall time of a few runs: a loaded machine makes single runs noisy.
				walls := make([]time.Duration, scaleGetRepeats)
				for j := range walls {
					r := scaleChild(b, spawner, nil, v.bin, a...)
					if r.Code != 0 {
						// Ours may not have landed yet: say what it does instead of a time.
						b.Logf("%s failed: exit %d: %s", v.name, r.Code, r.firstLine())
						b.ReportMetric(0, "ns/op")
						b.ReportMetric(float64(r.Code), "exit-code")
						return
					}
					walls[j], res.rss, res.sha, bytes = r.Took, max(res.rss, r.MaxRSS), r.SHA, r.Bytes
				}
				slices.Sort(walls)
				res.wall = walls[len(walls)/2]
			}
			results[v.name] = res
			b.SetBytes(bytes * scaleGetRepeats)
			b.ReportMetric(float64(res.rss)/1024, "peak-RSS-MiB")
			b.ReportMetric(res.wall.Seconds(), "wall-s")
			same := "same as"
			if ref, ok := results["ref"]; ok && res.sha != ref.sha {
				same = "DIFFERENT from"
			}
			if base, ok := results[v.base]; ok {
				b.ReportMetric(res.wall.Seconds()/base.wall.Seconds(), "wall-vs-"+v.base)
				b.ReportMetric(float64(res.rss)/float64(base.rss), "RSS-vs-"+v.base)
			}
			b.Logf("%s: %d bytes out (%s the reference's without --stream), median wall %v, peak RSS %.1f MiB",
				v.name, bytes, same, res.wall.Round(time.Millisecond), float64(res.rss)/1024)
		})
	}
}

// scaleBigQuota lifts the backend quota so the data sets fit however often the benchmark runs.
func scaleBigQuota(_ int, cfg *embed.Config) { cfg.QuotaBackendBytes = 8 << 30 }
