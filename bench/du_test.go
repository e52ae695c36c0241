package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/loader"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
)

// The du benchmark's data set: duBenchKeys keys (DU_BENCH_KEYS overrides it for a quick run)
// spread over duBenchGroups prefixes /bench/du/tNN/, values of duBenchSize bytes.
const (
	duBenchKeys    = 1000000
	duBenchGroups  = 10
	duBenchSize    = 100
	duBenchPrefix  = "/bench/du"
	duBenchRepeats = 3 // runs per variant; wall-s is their median
)

// duBenchAwk sums key and value lengths per /bench/du/<group> prefix from `get --prefix` output
// (simple format: a key line, then a value line). It is what an operator writes today.
const duBenchAwk = `NR%2==1 { split($0, s, "/"); g = "/" s[2] "/" s[3] "/" s[4]; k = length($0); next }
{ b[g] += k + length($0); n[g]++ }
END { for (g in b) print b[g], n[g], g }`

// BenchmarkDu measures `etcdctl du /bench/du` (ours) against `etcdctl get --prefix /bench/du |
// awk` (summing key and value lengths per prefix) with the reference etcdctl and with ours, on
// 1,000,000 keys. wall-vs-X is du's median wall time over X's; peak-RSS-MiB is du's peak RSS.
// The sums of both ways are checked to agree.
func BenchmarkDu(b *testing.B) {
	n := duBenchKeys
	if s := os.Getenv("DU_BENCH_KEYS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < duBenchGroups {
			b.Fatalf("DU_BENCH_KEYS=%q", s)
		}
		n = v
	}
	awk, err := exec.LookPath("awk")
	if err != nil {
		b.Skip("no awk")
	}
	ref, ours := difftest.RefBinary(b), difftest.OurBinary(b)
	spawner := scaleSpawner(b)
	c := localcluster.StartT(b, localcluster.Options{Size: 1, Configure: scaleBigQuota})
	cli, err := c.Client()
	if err != nil {
		b.Fatal(err)
	}
	defer cli.Close()
	start := time.Now()
	for g := 0; g < duBenchGroups; g++ {
		prefix := fmt.Sprintf("%s/t%02d/", duBenchPrefix, g)
		if _, err := loader.Write(context.Background(), cli, loader.Generate(prefix, n/duBenchGroups, duBenchSize, false),
			loader.Options{TxnTimeout: time.Minute}); err != nil {
			b.Fatalf("loading the data set: %v", err)
		}
	}
	b.Logf("loaded %d keys x %d B in %v", n/duBenchGroups*duBenchGroups, duBenchSize, time.Since(start).Round(time.Millisecond))

	ep := "--endpoints=" + c.Hosts()[0]
	pipe := func(bin string) []string {
		return []string{"-c", fmt.Sprintf("LC_ALL=C; export LC_ALL; %s %s --command-timeout=10m get --prefix %s | %s '%s'",
			bin, ep, duBenchPrefix, awk, duBenchAwk)}
	}
	variants := []struct {
		name string
		bin  string
		args []string
	}{
		{"du", ours, []string{ep, "--command-timeout=10m", "du", duBenchPrefix}},
		{"ref-get-awk", "/bin/sh", pipe(ref)},
		{"ours-get-awk", "/bin/sh", pipe(ours)},
	}
	type result struct {
		wall time.Duration
		rss  int64
		sums map[string]string // prefix -> "bytes keys"
	}
	results := map[string]result{}
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			var res result
			for i := 0; i < b.N; i++ {
				walls := make([]time.Duration, duBenchRepeats)
				for j := range walls {
					out, r := duBenchChild(b, spawner, v.bin, v.args...)
					if r.Code != 0 {
						b.Fatalf("%s: exit %d: %s", v.name, r.Code, r.firstLine())
					}
					walls[j], res.rss, res.sums = r.Took, max(res.rss, r.MaxRSS), duBenchSums(v.name == "du", out)
				}
				slices.Sort(walls)
				res.wall = walls[len(walls)/2]
			}
			results[v.name] = res
			b.ReportMetric(res.wall.Seconds(), "wall-s")
			b.ReportMetric(float64(res.rss)/1024, "peak-RSS-MiB")
			if d, ok := results["du"]; ok && v.name != "du" {
				b.ReportMetric(d.wall.Seconds()/res.wall.Seconds(), "du-wall-ratio")
				if fmt.Sprint(d.sums) != fmt.Sprint(res.sums) {
					b.Errorf("sums differ:\ndu:  %v\n%s: %v", d.sums, v.name, res.sums)
				}
			}
			b.Logf("%s: %d keys, median wall %v, peak RSS %.1f MiB", v.name, n, res.wall.Round(time.Millisecond), float64(res.rss)/1024)
		})
	}
}

// duBenchChild runs bin through the spawner and returns its stdout with the measurements.
func duBenchChild(b *testing.B, spawner, bin string, args ...string) (string, scaleRun) {
	b.Helper()
	var out strings.Builder
	r := scaleChildTo(b, spawner, nil, &out, bin, args...)
	return out.String(), r
}

// duBenchSums reads "prefix -> bytes keys" from du's simple output or the awk script's.
func duBenchSums(du bool, out string) map[string]string {
	sums := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if du {
			f := strings.Split(l, "\t")
			if len(f) == 4 && f[3] != "total" {
				sums[f[3]] = f[0] + " " + f[1]
			}
			continue
		}
		if f := strings.Fields(l); len(f) == 3 {
			sums[f[2]] = f[0] + " " + f[1]
		}
	}
	return sums
}
