package bench

import (
	"bufio"
	"context"
	"fmt"
	"os/exec"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	clientv3 "go.etcd.io/etcd/client/v3"
)

const watchBenchKeys = 100000

// watchBenchRun starts `watch --prefix <prefix>` (from rev when > 0) with stdout on a pipe, runs
// write (if any), and waits until want events were read from the pipe (or a minute passed).
// It returns events per second from the start of the run to the last event, and how many were lost.
func watchBenchRun(b *testing.B, bin string, endpoint, prefix string, rev int64, want int, write func()) (float64, int) {
	args := []string{"--endpoints", endpoint, "watch", "--prefix", prefix}
	if rev > 0 {
		args = append(args, "--rev", fmt.Sprint(rev))
	}
	cmd := exec.Command(bin, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	var events atomic.Int64
	lastAt := make(chan time.Time, 1)
	go func() {
		r := bufio.NewReaderSize(out, 1<<16)
		n := 0
		for {
			line, err := r.ReadSlice('\n')
			if err != nil && err != bufio.ErrBufferFull {
				return
			}
			if string(line) == "PUT\n" {
				n++
				events.Store(int64(n))
				if n == want {
					lastAt <- time.Now()
					return
				}
			}
		}
	}()
	if rev == 0 {
		time.Sleep(500 * time.Millisecond) // let the watch register before the writer starts
	}
	start := time.Now()
	if write != nil {
		go write()
	}
	select {
	case end := <-lastAt:
		return float64(want) / end.Sub(start).Seconds(), 0
	case <-time.After(time.Minute):
		n := int(events.Load())
		return float64(n) / time.Minute.Seconds(), want - n
	}
}

// watchBenchWriter puts n keys under prefix with 32 concurrent writers.
func watchBenchWriter(b *testing.B, cli *clientv3.Client, prefix string, n int) func() {
	return func() {
		var next atomic.Int64
		var wg sync.WaitGroup
		for w := 0; w < 32; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := next.Add(1)
					if i > int64(n) {
						return
					}
					if _, err := cli.Put(context.Background(), fmt.Sprintf("%s%06d", prefix, i), "value"); err != nil {
						b.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
	}
}

// BenchmarkWatchPipe: events per second that `watch --prefix` prints into a pipe, ours vs the
// reference, (1) live while a writer puts 100,000 keys, (2) replaying the same 100,000 events
// from history (printing throughput alone). Lost events must be 0.
func BenchmarkWatchPipe(b *testing.B) {
	c := localcluster.StartT(b, localcluster.Options{Size: 1})
	cli, err := c.Client()
	if err != nil {
		b.Fatal(err)
	}
	defer cli.Close()
	ep := c.Hosts()[0]
	ours, ref := difftest.OurBinary(b), difftest.RefBinary(b)

	oLive, oLost := watchBenchRun(b, ours, ep, "bo/", 0, watchBenchKeys, watchBenchWriter(b, cli, "bo/", watchBenchKeys))
	rLive, rLost := watchBenchRun(b, ref, ep, "br/", 0, watchBenchKeys, watchBenchWriter(b, cli, "br/", watchBenchKeys))
	oReplay, oLost2 := watchBenchRun(b, ours, ep, "bo/", 1, watchBenchKeys, nil)
	rReplay, rLost2 := watchBenchRun(b, ref, ep, "bo/", 1, watchBenchKeys, nil)

	b.ReportMetric(oLive, "ours-live-ev/s")
	b.ReportMetric(rLive, "ref-live-ev/s")
	b.ReportMetric(oLive/rLive, "live-ratio")
	b.ReportMetric(oReplay, "ours-replay-ev/s")
	b.ReportMetric(rReplay, "ref-replay-ev/s")
	b.ReportMetric(oReplay/rReplay, "replay-ratio")
	b.ReportMetric(float64(oLost+oLost2), "ours-lost")
	b.ReportMetric(float64(rLost+rLost2), "ref-lost")
	if oLost+oLost2 > 0 {
		b.Errorf("ours lost %d events", oLost+oLost2)
	}
}
