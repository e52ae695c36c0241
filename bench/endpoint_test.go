// Package bench holds benchmarks that run our etcdctl and the reference side by side.
package bench

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
)

// endpointRunResult is one run of a binary.
type endpointRunResult struct {
	Took   time.Duration
	MaxRSS int64 // bytes, from the child's rusage (wait4)
	HWM    int64 // bytes, the child's VmHWM as last seen in /proc while it ran
	Code   int
}

// endpointRun runs bin with args in dir and measures it.
func endpointRun(b *testing.B, bin string, dir string, args ...string) endpointRunResult {
	b.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatalf("run %s %v: %v", bin, args, err)
	}
	stop := make(chan struct{})
	hwm := make(chan int64, 1)
	go func() { hwm <- endpointWatchHWM(cmd.Process.Pid, stop) }()
	err := cmd.Wait()
	res := endpointRunResult{Took: time.Since(start)}
	close(stop)
	res.HWM = <-hwm
	if ee, ok := err.(*exec.ExitError); ok {
		res.Code = ee.ExitCode()
	} else if err != nil {
		b.Fatalf("run %s %v: %v", bin, args, err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		res.MaxRSS = ru.Maxrss * 1024 // kilobytes on Linux
	}
	return res
}

// endpointWatchHWM polls /proc/<pid>/status for VmHWM (the peak RSS of the process's current
// image) until stop is closed, and returns the last value seen.
func endpointWatchHWM(pid int, stop <-chan struct{}) int64 {
	var last int64
	path := fmt.Sprintf("/proc/%d/status", pid)
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		if b, err := os.ReadFile(path); err == nil {
			for _, line := range strings.Split(string(b), "\n") {
				if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
					var kb int64
					fmt.Sscanf(strings.TrimSpace(v), "%d", &kb)
					if kb*1024 > last {
						last = kb * 1024
					}
				}
			}
		}
		select {
		case <-stop:
			return last
		case <-t.C:
		}
	}
}

// BenchmarkEndpointStatusDeadMember: `endpoint status --cluster` on a 3-member cluster with one
// member stopped. The reference spends its whole command timeout (5s) on the dead member.
func BenchmarkEndpointStatusDeadMember(b *testing.B) {
	ours, ref := difftest.OurBinary(b), difftest.RefBinary(b)
	c := localcluster.StartT(b, localcluster.Options{Size: 3})
	li, err := c.Leader(10 * time.Second)
	if err != nil {
		b.Fatal(err)
	}
	victim := (li + 1) % 3
	c.Members[victim].Stop()
	live := c.Hosts()[(victim+1)%3]
	args := []string{"--endpoints=" + live, "-w", "table", "endpoint", "status", "--cluster"}
	var oursTotal, refTotal time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		o := endpointRun(b, ours, "", args...)
		r := endpointRun(b, ref, "", args...)
		if o.Code != r.Code {
			b.Fatalf("exit codes differ: ours %d, reference %d", o.Code, r.Code)
		}
		oursTotal += o.Took
		refTotal += r.Took
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(float64(oursTotal.Milliseconds())/n, "ours-ms/op")
	b.ReportMetric(float64(refTotal.Milliseconds())/n, "ref-ms/op")
	b.ReportMetric(oursTotal.Seconds()/refTotal.Seconds(), "ours/ref")
	fmt.Fprintf(os.Stderr, "endpoint status --cluster, 1 of 3 down: ours %s, reference %s per run\n",
		oursTotal/time.Duration(b.N), refTotal/time.Duration(b.N))
}
