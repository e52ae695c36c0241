package commands

import (
	"context"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// A failing workload whatever the machine's speed: a NOSPACE alarm makes the server refuse every
// write, so the throughput is 0 writes/s (and no latency is recorded). The run is shortened to
// 2 s through the seam (upstream has no flag for it). FAIL is a reported failure (exit 1, no
// Error line, as upstream); the clean-up, compaction included, still runs.
func TestCheckPerfFailInProcess(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	ml, err := cli.MemberList(context.Background())
	require.NoError(t, err)
	_, err = pb.NewMaintenanceClient(cli.ActiveConnection()).Alarm(context.Background(), &pb.AlarmRequest{
		Action: pb.AlarmRequest_ACTIVATE, MemberID: ml.Members[0].ID, Alarm: pb.AlarmType_NOSPACE})
	require.NoError(t, err)

	var out, errOut syncBuffer
	start := time.Now()
	err = inprocRun(t, newCmdCheckPerf, &out, &errOut,
		func(o *CheckPerfOptions) {
			require.Equal(t, checkPerfDuration, o.Duration, "upstream's 60 s by default")
			o.Duration = 2 * time.Second
		}, runCheckPerf,
		"--endpoints="+c.Hosts()[0], "--load", "s", "--auto-compact")
	took := time.Since(start)
	require.Error(t, err)
	assert.IsType(t, &cmdutil.ReportedError{}, cmdutil.Kind(err))
	assert.GreaterOrEqual(t, took, 2*time.Second, "the shortened duration is honoured")
	assert.Less(t, took, 50*time.Second, "not upstream's 60 s")
	assert.Regexp(t, `^Compacting with revision (\d+)\nCompacted with revision \d+\n`+
		`FAIL: Throughput too low: 0 writes/s\nPASS: Slowest request took 0.000000s\nPASS: Stddev is 0.000000s\nFAIL\n$`, out.String())
	assert.Empty(t, errOut.String(), "no progress bar when stderr is not a terminal")
	resp, err := cli.Get(context.Background(), "/etcdctl-check-perf/", clientv3.WithPrefix(), clientv3.WithCountOnly())
	require.NoError(t, err)
	assert.Zero(t, resp.Count)
}
