package bench

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
)

// wallMedian runs each program runs times, interleaved, exec'd directly (no wrapper process in
// the timing), and returns each one's median wall time.
func wallMedian(tb testing.TB, runs int, env []string, progs [][]string) []time.Duration {
	tb.Helper()
	walls := make([][]time.Duration, len(progs))
	for i := 0; i < runs; i++ {
		for j, p := range progs {
			cmd := exec.Command(p[0], p[1:]...)
			cmd.Env = append([]string{"PATH=/usr/bin:/bin"}, env...)
			start := time.Now()
			err := cmd.Run()
			walls[j] = append(walls[j], time.Since(start))
			if _, ok := err.(*exec.ExitError); err != nil && !ok {
				tb.Fatal(err)
			}
		}
	}
	med := make([]time.Duration, len(progs))
	for j := range walls {
		sort.Slice(walls[j], func(a, b int) bool { return walls[j][a] < walls[j][b] })
		med[j] = walls[j][len(walls[j])/2]
	}
	return med
}

// peakRSS is the median over 7 runs of p of each run's peak RSS (KiB): one run that happens to
// start an extra thread or a GC does not decide the figure.
func peakRSS(tb testing.TB, env []string, p []string) int64 {
	tb.Helper()
	var rss []int64
	for i := 0; i < 7; i++ {
		rss = append(rss, RunProcess(tb, p[0], env, p[1:]...).MaxRSS)
	}
	sort.Slice(rss, func(a, b int) bool { return rss[a] < rss[b] })
	return rss[len(rss)/2]
}

// buildFloor builds bench/floor (cobra + client/v3, printing two lines) the default way.
func buildFloor(tb testing.TB) string {
	tb.Helper()
	out := filepath.Join(tb.TempDir(), "floor")
	cmd := exec.Command("go", "build", "-o", out, "./bench/floor")
	cmd.Dir = difftest.RepoRoot()
	if b, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("build floor: %v\n%s", err, b)
	}
	return out
}

// reportStartup reports ours and the reference as milliseconds and ratios, with the floor.
func reportStartup(b *testing.B, env []string, args ...string) {
	ours, ref, floor := difftest.OurBinary(b), difftest.RefBinary(b), buildFloor(b)
	progs := [][]string{append([]string{ours}, args...), append([]string{ref}, args...), {floor}}
	med := wallMedian(b, 300, env, progs)
	oRSS, rRSS := peakRSS(b, env, progs[0]), peakRSS(b, env, progs[1])
	b.ReportMetric(float64(med[0].Microseconds())/1000, "ours-ms")
	b.ReportMetric(float64(med[1].Microseconds())/1000, "ref-ms")
	b.ReportMetric(float64(med[2].Microseconds())/1000, "floor-ms")
	b.ReportMetric(float64(med[0])/float64(med[1]), "wall-ratio")
	b.ReportMetric(float64(med[2])/float64(med[1]), "floor-ratio")
	b.ReportMetric(float64(oRSS)/float64(rRSS), "rss-ratio")
}

// BenchmarkStartupVersion: whole-process `etcdctl version`, ours vs the reference (targets:
// wall <= 0.8x, peak RSS <= 0.85x), beside the floor program (bench/floor).
func BenchmarkStartupVersion(b *testing.B) {
	reportStartup(b, nil, "version")
}

// BenchmarkStartupGetKey: whole-process `etcdctl get k` against a local member (targets: wall
// <= 0.75x, peak RSS <= 0.85x).
func BenchmarkStartupGetKey(b *testing.B) {
	c := localcluster.StartT(b, localcluster.Options{Size: 1})
	cli, err := c.Client()
	if err != nil {
		b.Fatal(err)
	}
	defer cli.Close()
	if _, err := cli.Put(context.Background(), "k", "value"); err != nil {
		b.Fatal(err)
	}
	reportStartup(b, []string{"ETCDCTL_ENDPOINTS=" + c.Hosts()[0]}, "get", "k")
}

// BenchmarkStartupCompleteKeys: a TAB press completing keys (`__complete get ""`) against
// `get --prefix --keys-only --limit 100 ""`, both ours, on 1000 keys (target: ratio <= 1).
func BenchmarkStartupCompleteKeys(b *testing.B) {
	c := localcluster.StartT(b, localcluster.Options{Size: 1})
	cli, err := c.Client()
	if err != nil {
		b.Fatal(err)
	}
	defer cli.Close()
	for i := 0; i < 1000; i++ {
		if _, err := cli.Put(context.Background(), fmt.Sprintf("/k/%04d", i), "v"); err != nil {
			b.Fatal(err)
		}
	}
	ours := difftest.OurBinary(b)
	env := []string{"ETCDCTL_ENDPOINTS=" + c.Hosts()[0]}
	med := wallMedian(b, 100, env, [][]string{
		{ours, "__complete", "get", ""},
		{ours, "get", "--prefix", "--keys-only", "--limit", "100", ""},
	})
	b.ReportMetric(float64(med[0].Microseconds())/1000, "complete-ms")
	b.ReportMetric(float64(med[1].Microseconds())/1000, "get-ms")
	b.ReportMetric(float64(med[0])/float64(med[1]), "ratio")
}
