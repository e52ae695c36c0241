// Package bench holds whole-process benchmarks of our etcdctl against the reference etcdctl
// v3.7.3, on real local clusters, reported as ratios. Run with `make bench`.
package bench

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Sample is one whole-process run: wall time and peak RSS.
type Sample struct {
	Wall   time.Duration
	MaxRSS int64 // KiB
	Code   int
}

// RunProcess runs bin with args and env (added to a minimal environment), stdout discarded.
//
// Peak RSS: a child forked straight from the (large) test process inherits its high-water mark
// across exec, so ru_maxrss would report the test's own size. The child is therefore started by
// GNU time (/usr/bin/time, a tiny process) and its %M is read back.
func RunProcess(tb testing.TB, bin string, env []string, args ...string) Sample {
	tb.Helper()
	return RunProcessIO(tb, bin, env, nil, args...)
}

// RunProcessIO is RunProcess with stdout sent to out (nil: discarded).
func RunProcessIO(tb testing.TB, bin string, env []string, out io.Writer, args ...string) Sample {
	tb.Helper()
	rssFile := filepath.Join(tb.TempDir(), "rss")
	var cmd *exec.Cmd
	if _, err := os.Stat("/usr/bin/time"); err == nil {
		cmd = exec.Command("/usr/bin/time", append([]string{"-q", "-f", "%M", "-o", rssFile, bin}, args...)...)
	} else {
		cmd = exec.Command(bin, args...)
	}
	cmd.Env = append([]string{"PATH=/usr/bin:/bin"}, env...)
	cmd.Stdout = out
	start := time.Now()
	err := cmd.Run()
	s := Sample{Wall: time.Since(start)}
	if ee, ok := err.(*exec.ExitError); ok {
		s.Code = ee.ExitCode()
	} else if err != nil {
		tb.Fatal(err)
	}
	if b, err := os.ReadFile(rssFile); err == nil {
		s.MaxRSS, _ = strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	} else if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.MaxRSS = ru.Maxrss
	}
	return s
}

// Stats are the mean wall time and the largest peak RSS of samples.
func Stats(samples []Sample) (mean time.Duration, maxRSS int64) {
	var total time.Duration
	for _, s := range samples {
		total += s.Wall
		if s.MaxRSS > maxRSS {
			maxRSS = s.MaxRSS
		}
	}
	if len(samples) == 0 {
		return 0, 0
	}
	return total / time.Duration(len(samples)), maxRSS
}
