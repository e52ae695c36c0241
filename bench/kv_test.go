package bench

import (
	"context"
	"strconv"
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
)

// BenchmarkGetKey: whole-process `get k` (start-up, connect, one Range, print), ours vs reference,
// interleaved on the same member. Ratios below 1 mean we are faster / smaller.
func BenchmarkGetKey(b *testing.B) {
	c := localcluster.StartT(b, localcluster.Options{Size: 1})
	cli, err := c.Client()
	if err != nil {
		b.Fatal(err)
	}
	defer cli.Close()
	if _, err := cli.Put(context.Background(), "k", "value"); err != nil {
		b.Fatal(err)
	}
	ours, ref := difftest.OurBinary(b), difftest.RefBinary(b)
	env := []string{"ETCDCTL_ENDPOINTS=" + c.Hosts()[0]}
	const runs = 60
	var os, rs []Sample
	for i := 0; i < runs; i++ {
		os = append(os, RunProcess(b, ours, env, "get", "k"))
		rs = append(rs, RunProcess(b, ref, env, "get", "k"))
	}
	om, orss := Stats(os)
	rm, rrss := Stats(rs)
	b.ReportMetric(float64(om.Microseconds())/1000, "ours-ms")
	b.ReportMetric(float64(rm.Microseconds())/1000, "ref-ms")
	b.ReportMetric(float64(om)/float64(rm), "wall-ratio")
	b.ReportMetric(float64(orss), "ours-rss-KiB")
	b.ReportMetric(float64(rrss), "ref-rss-KiB")
	b.ReportMetric(float64(orss)/float64(rrss), "rss-ratio")
}

// BenchmarkRefusedEndpoint: time until the error when nothing listens on the endpoint.
func BenchmarkRefusedEndpoint(b *testing.B) {
	port, err := localcluster.FreePort()
	if err != nil {
		b.Fatal(err)
	}
	env := []string{"ETCDCTL_ENDPOINTS=127.0.0.1:" + strconv.Itoa(port)}
	ours, ref := difftest.OurBinary(b), difftest.RefBinary(b)
	var os []Sample
	for i := 0; i < 10; i++ {
		s := RunProcess(b, ours, env, "get", "k")
		if s.Code != 1 {
			b.Fatalf("ours exited %d, want 1", s.Code)
		}
		os = append(os, s)
	}
	r := RunProcess(b, ref, env, "get", "k") // upstream waits the whole command timeout (5 s)
	om, _ := Stats(os)
	b.ReportMetric(float64(om.Microseconds())/1000, "ours-ms")
	b.ReportMetric(float64(r.Wall.Microseconds())/1000, "ref-ms")
	b.ReportMetric(float64(om)/float64(r.Wall), "wall-ratio")
}
