package bench

import (
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
)

// BenchmarkEndpointStatusDeadMember: `endpoint status --cluster` on a 3-member cluster with one
// member stopped. The reference spends its whole command timeout (5s) on the dead member; ours
// sees the refused connection at once. Reported: mean wall time of each and ours/ref.
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
	var oursRuns, refRuns []Sample
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		o := RunProcess(b, ours, nil, args...)
		r := RunProcess(b, ref, nil, args...)
		if o.Code != r.Code {
			b.Fatalf("exit codes differ: ours %d, reference %d", o.Code, r.Code)
		}
		oursRuns, refRuns = append(oursRuns, o), append(refRuns, r)
	}
	b.StopTimer()
	oursWall, _ := Stats(oursRuns)
	refWall, _ := Stats(refRuns)
	b.ReportMetric(float64(oursWall.Microseconds())/1000, "ours-ms")
	b.ReportMetric(float64(refWall.Microseconds())/1000, "ref-ms")
	b.ReportMetric(oursWall.Seconds()/refWall.Seconds(), "ours/ref")
	b.Logf("endpoint status --cluster, 1 of 3 members down: ours %v, reference %v (exit code %d both)",
		oursWall, refWall, oursRuns[0].Code)
}
