package commands_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// failoverRow is one row of `endpoint status -w table`.
type failoverRow struct {
	Endpoint  string
	ID        string
	Leader    bool
	RaftTerm  uint64
	RaftIndex uint64
}

// failoverParseTable reads the rows of a status table (16 columns, box-drawn).
func failoverParseTable(t *testing.T, out []byte) []failoverRow {
	t.Helper()
	var rows []failoverRow
	for i, line := range strings.Split(string(out), "\n") {
		if !strings.HasPrefix(line, "│") || i < 3 { // skip the header row
			continue
		}
		cells := strings.Split(strings.Trim(line, "│"), "│")
		require.Len(t, cells, 16, "row %q", line)
		for j := range cells {
			cells[j] = strings.TrimSpace(cells[j])
		}
		term, err := strconv.ParseUint(cells[10], 10, 64)
		require.NoError(t, err)
		index, err := strconv.ParseUint(cells[11], 10, 64)
		require.NoError(t, err)
		rows = append(rows, failoverRow{Endpoint: cells[0], ID: cells[1], Leader: cells[8] == "true", RaftTerm: term, RaftIndex: index})
	}
	return rows
}

func failoverLeaders(rows []failoverRow) []failoverRow {
	var out []failoverRow
	for _, r := range rows {
		if r.Leader {
			out = append(out, r)
		}
	}
	return out
}

// TestFailover is the seed's story on a real 3-member cluster: one leader; the leader dies and
// the other two elect a new one in a higher term; status with the dead member answers at once
// with the live rows and upstream's exit code; the member comes back under the new leader; a put
// and a delete advance the raft index by two.
func TestFailover(t *testing.T) {
	c := endpointStart(t, 3)
	ours := difftest.OurBinary(t)
	status := func(eps []string, extra ...string) difftest.Result {
		args := endpointArgs(eps, append([]string{"-w", "table", "endpoint", "status"}, extra...)...)
		return difftest.Run(t, ours, args, difftest.Opts{})
	}

	// 1. Exactly one leader, and the same table as the reference.
	p := endpointCompare(t, endpointArgs(c.Hosts()[:1], "-w", "table", "endpoint", "status", "--cluster"), difftest.Opts{})
	rows := failoverParseTable(t, p.Ours.Stdout)
	require.Len(t, rows, 3)
	leaders := failoverLeaders(rows)
	require.Len(t, leaders, 1, "exactly one leader")
	oldLeader := leaders[0]
	li, err := c.Leader(5 * time.Second)
	require.NoError(t, err)
	assert.Equal(t, c.Members[li].ClientURL, oldLeader.Endpoint)

	// 2. Stop the leader; the other two elect a new leader in a higher term.
	c.Members[li].Stop()
	var others []string
	for i, h := range c.Hosts() {
		if i != li {
			others = append(others, h)
		}
	}
	ni, err := c.Leader(10 * time.Second)
	require.NoError(t, err)
	require.NotEqual(t, li, ni)
	endpointSettle(t, c)
	r := status(others)
	require.Equal(t, 0, r.Code, "stderr: %s", r.Stderr)
	rows = failoverParseTable(t, r.Stdout)
	require.Len(t, rows, 2)
	leaders = failoverLeaders(rows)
	require.Len(t, leaders, 1, "a new leader among the survivors")
	newLeader := leaders[0]
	assert.NotEqual(t, oldLeader.ID, newLeader.ID)
	assert.Greater(t, newLeader.RaftTerm, oldLeader.RaftTerm, "higher raft term")
	endpointCompare(t, endpointArgs(others, "-w", "table", "endpoint", "status"), difftest.Opts{})

	// 3. --cluster with the dead member: ours answers at once with the live rows; the reference
	// spends its whole 5s command timeout on the dead member but prints the same.
	args := endpointArgs(others[:1], "-w", "table", "endpoint", "status", "--cluster")
	p = endpointCompare(t, args, difftest.Opts{})
	// At once: with a one-minute command timeout, ours still ends well within it (the bound is
	// the timeout's, not the machine's speed).
	fast := difftest.Run(t, difftest.OurBinary(t), append([]string{"--command-timeout=60s"}, args...), difftest.Opts{Timeout: 2 * time.Minute})
	assert.Less(t, fast.Took, 30*time.Second, "ours took %s with a 60s command timeout", fast.Took)
	assert.Len(t, failoverParseTable(t, fast.Stdout), 2, "the live rows (60s timeout)")
	assert.Equal(t, 1, p.Ours.Code)
	assert.Len(t, failoverParseTable(t, p.Ours.Stdout), 2, "the live rows")
	assert.Equal(t, "Failed to get the status of endpoint "+c.Members[li].ClientURL+" (context deadline exceeded)", p.Ours.FirstErrLine())
	t.Logf("status --cluster with a dead member: ours %s, reference %s", p.Ours.Took, p.Ref.Took)

	// 4. Restart the member: all three report, the leader is unchanged.
	require.NoError(t, c.Members[li].Restart())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	require.NoError(t, c.WaitHealthy(ctx))
	cancel()
	endpointSettle(t, c)
	r = status(c.Hosts()[:1], "--cluster")
	require.Equal(t, 0, r.Code, "stderr: %s", r.Stderr)
	rows = failoverParseTable(t, r.Stdout)
	require.Len(t, rows, 3)
	leaders = failoverLeaders(rows)
	require.Len(t, leaders, 1)
	assert.Equal(t, newLeader.ID, leaders[0].ID, "leader unchanged after the restart")
	before := leaders[0].RaftIndex

	// 5. A put and a delete advance the raft index by two, on every member once applied.
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	ctx, cancel = context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = cli.Put(ctx, "failover-key", "v")
	require.NoError(t, err)
	_, err = cli.Delete(ctx, "failover-key")
	require.NoError(t, err)
	endpointSettle(t, c)
	r = status(c.Hosts())
	require.Equal(t, 0, r.Code, "stderr: %s", r.Stderr)
	for _, row := range failoverParseTable(t, r.Stdout) {
		assert.Equal(t, before+2, row.RaftIndex, "raft index of %s", row.Endpoint)
	}
	endpointCompare(t, endpointArgs(c.Hosts(), "-w", "table", "endpoint", "status"), difftest.Opts{})
}
