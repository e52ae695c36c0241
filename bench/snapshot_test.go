package bench

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// snapshotCluster runs a 1-member cluster as a separate process (bin/localcluster built into a
// temp dir), so that this process stays small: a child started with vfork inherits its parent's
// peak RSS in rusage, which would hide the etcdctl children's own figures.
func snapshotCluster(b *testing.B) (endpoint string) {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "localcluster")
	build := exec.Command("go", "build", "-o", bin, "./cmd/localcluster")
	build.Dir = difftest.RepoRoot()
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build localcluster: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-n", "1")
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		fmt.Fprintln(in, "quit")
		in.Close()
		cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		b.Fatalf("localcluster: %v", err)
	}
	return strings.TrimSpace(line)
}

// snapshotFill writes about mb MiB of values (1 MiB each) through 8 concurrent writers.
func snapshotFill(b *testing.B, endpoint string, mb int) {
	b.Helper()
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{endpoint}, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
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
// wall time ratio and each process's peak RSS.
func BenchmarkSnapshotSave(b *testing.B) {
	ours, ref := difftest.OurBinary(b), difftest.RefBinary(b)
	host := snapshotCluster(b)
	snapshotFill(b, host, 220)
	runtime.GC()
	debug.FreeOSMemory()
	dir := b.TempDir()
	ep := "--endpoints=" + host
	var oursTotal, refTotal time.Duration
	var oursRSS, refRSS, oursHWM, refHWM, size int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// Alternate who goes first so that the page cache favours neither.
		runs := []struct {
			bin   string
			total *time.Duration
			rss   *int64
			hwm   *int64
		}{{ours, &oursTotal, &oursRSS, &oursHWM}, {ref, &refTotal, &refRSS, &refHWM}}
		if i%2 == 1 {
			runs[0], runs[1] = runs[1], runs[0]
		}
		for _, r := range runs {
			file := filepath.Join(dir, "snap.db")
			res := endpointRun(b, r.bin, dir, ep, "snapshot", "save", file)
			if res.Code != 0 {
				b.Fatalf("%s: exit code %d", r.bin, res.Code)
			}
			st, err := os.Stat(file)
			if err != nil {
				b.Fatal(err)
			}
			size = st.Size()
			os.Remove(file)
			*r.total += res.Took
			*r.rss = max(*r.rss, res.MaxRSS)
			*r.hwm = max(*r.hwm, res.HWM)
		}
	}
	b.StopTimer()
	if size < 200_000_000 {
		b.Fatalf("snapshot is only %d bytes", size)
	}
	n := float64(b.N)
	b.SetBytes(size)
	b.ReportMetric(float64(oursTotal.Milliseconds())/n, "ours-ms/op")
	b.ReportMetric(float64(refTotal.Milliseconds())/n, "ref-ms/op")
	b.ReportMetric(oursTotal.Seconds()/refTotal.Seconds(), "ours/ref")
	b.ReportMetric(float64(oursRSS)/(1<<20), "ours-peak-RSS-MiB")
	b.ReportMetric(float64(refRSS)/(1<<20), "ref-peak-RSS-MiB")
	b.ReportMetric(float64(oursHWM)/(1<<20), "ours-VmHWM-MiB")
	b.ReportMetric(float64(refHWM)/(1<<20), "ref-VmHWM-MiB")
	fmt.Fprintf(os.Stderr, "snapshot save of %d MB: ours %s (rusage maxrss %d MiB, VmHWM %d MiB), reference %s (rusage maxrss %d MiB, VmHWM %d MiB)\n",
		size/1_000_000, oursTotal/time.Duration(b.N), oursRSS>>20, oursHWM>>20, refTotal/time.Duration(b.N), refRSS>>20, refHWM>>20)
}
