package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
)

// snapshotFill writes mb values of 1 MiB each through 8 concurrent writers.
func snapshotFill(b *testing.B, c *localcluster.Cluster, mb int) {
	b.Helper()
	cli, err := c.Client()
	if err != nil {
		b.Fatal(err)
	}
	defer cli.Close()
	val := strings.Repeat("v", 1<<20-64)
	jobs := make(chan int)
	errs := make(chan error, mb)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				_, err := cli.Put(ctx, fmt.Sprintf("snapshot-bench-%05d", i), val)
				cancel()
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	for i := 0; i < mb; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}

// BenchmarkSnapshotSave: `snapshot save` of a database of over 200 MB, ours vs the reference:
// mean wall time, ratio, and each child's peak RSS (ru_maxrss of the child, read through a small
// spawner so that the test process's own size does not leak in; see RunProcess).
func BenchmarkSnapshotSave(b *testing.B) {
	ours, ref := difftest.OurBinary(b), difftest.RefBinary(b)
	c := localcluster.StartT(b, localcluster.Options{Size: 1})
	snapshotFill(b, c, 220)
	dir := b.TempDir()
	ep := "--endpoints=" + c.Hosts()[0]
	file := filepath.Join(dir, "snap.db")
	var oursRuns, refRuns []Sample
	var size int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// Alternate who goes first so that caches favour neither.
		order := []string{ours, ref}
		if i%2 == 1 {
			order = []string{ref, ours}
		}
		for _, bin := range order {
			s := RunProcess(b, bin, nil, ep, "snapshot", "save", file)
			if s.Code != 0 {
				b.Fatalf("%s: exit code %d", bin, s.Code)
			}
			st, err := os.Stat(file)
			if err != nil {
				b.Fatal(err)
			}
			size = st.Size()
			os.Remove(file)
			if bin == ours {
				oursRuns = append(oursRuns, s)
			} else {
				refRuns = append(refRuns, s)
			}
		}
	}
	b.StopTimer()
	if size < 200_000_000 {
		b.Fatalf("the snapshot is only %d bytes", size)
	}
	oursWall, oursRSS := Stats(oursRuns)
	refWall, refRSS := Stats(refRuns)
	b.SetBytes(size)
	b.ReportMetric(float64(oursWall.Milliseconds()), "ours-ms")
	b.ReportMetric(float64(refWall.Milliseconds()), "ref-ms")
	b.ReportMetric(oursWall.Seconds()/refWall.Seconds(), "ours/ref")
	b.ReportMetric(float64(oursRSS)/1024, "ours-peak-RSS-MiB")
	b.ReportMetric(float64(refRSS)/1024, "ref-peak-RSS-MiB")
	b.Logf("snapshot save of %d MB: ours %v (peak RSS %.1f MiB), reference %v (peak RSS %.1f MiB)",
		size/1_000_000, oursWall, float64(oursRSS)/1024, refWall, float64(refRSS)/1024)
}
