package commands

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/iostreams"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
)

// rollingSetup starts a 3-member cluster with some free space in its databases (keys written,
// then deleted and compacted) and a factory pointed at its first member.
func rollingSetup(t *testing.T) (*localcluster.Cluster, *cmdutil.Factory, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	c := localcluster.StartT(t, localcluster.Options{Size: 3})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	ctx := context.Background()
	val := strings.Repeat("x", 4096)
	for i := 0; i < 600; i += 50 {
		var ops []clientv3.Op
		for j := i; j < i+50; j++ {
			ops = append(ops, clientv3.OpPut(fmt.Sprintf("frag/%04d", j), val))
		}
		_, err := cli.Txn(ctx).Then(ops...).Commit()
		require.NoError(t, err)
	}
	resp, err := cli.Delete(ctx, "frag/", clientv3.WithPrefix())
	require.NoError(t, err)
	_, err = cli.Compact(ctx, resp.Header.Revision, clientv3.WithCompactPhysical())
	require.NoError(t, err)

	io, _, out, errOut := iostreams.Test()
	f := cmdutil.NewFactory(io, nil)
	f.Global.Endpoints = []string{c.Endpoints()[0]}
	f.Global.DialTimeout = 2 * time.Second
	f.Global.CommandTimeout = 5 * time.Second
	f.Global.KeepAliveTime = 2 * time.Second
	f.Global.KeepAliveTimeout = 6 * time.Second
	f.Global.InsecureTransport = true
	f.Global.WriteOut = "simple"
	return c, f, out, errOut
}

// rollingAllHealthy checks that every running member serves a linearizable read.
func rollingAllHealthy(c *localcluster.Cluster) error {
	for _, m := range c.Members {
		cli, err := clientv3.New(clientv3.Config{Endpoints: []string{m.ClientURL}, DialTimeout: 2 * time.Second, Logger: zap.NewNop()})
		if err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err = cli.Get(ctx, "health")
		cancel()
		cli.Close()
		if err != nil {
			return fmt.Errorf("member %s: %w", m.Name, err)
		}
	}
	return nil
}

func TestRollingDefrag(t *testing.T) {
	c, f, out, errOut := rollingSetup(t)
	f.IO.ErrOutTTY = true // progress on stderr
	li, err := c.Leader(10 * time.Second)
	require.NoError(t, err)
	leaderID := c.Members[li].ID()

	var order []uint64
	var leaderAtStep []uint64
	o := &DefragOptions{F: f, Cluster: true, Rolling: true, WaitBetween: 10 * time.Millisecond,
		afterStep: func(id uint64) error {
			order = append(order, id)
			// Between two steps every member answers, and the leader has not moved.
			if err := rollingAllHealthy(c); err != nil {
				return err
			}
			i, err := c.Leader(5 * time.Second)
			if err != nil {
				return err
			}
			leaderAtStep = append(leaderAtStep, c.Members[i].ID())
			return nil
		}}
	require.NoError(t, runDefragRolling(o), "stderr: %s", errOut)

	require.Len(t, order, 3, "each member once")
	assert.ElementsMatch(t, []uint64{c.Members[0].ID(), c.Members[1].ID(), c.Members[2].ID()}, order)
	assert.Equal(t, leaderID, order[2], "the leader goes last")
	assert.Equal(t, []uint64{leaderID, leaderID, leaderID}, leaderAtStep)

	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	require.Len(t, lines, 4, out.String())
	for i, id := range order {
		role := "[follower]"
		if i == 2 {
			role = "[leader]"
		}
		assert.Regexp(t, fmt.Sprintf(`^Defragmented etcd member m\d \(%x\) %s http://127\.0\.0\.1:\d+: [0-9.]+ [kMG]?B -> [0-9.]+ [kMG]?B, took \S+$`, id, regexpQuote(role)), lines[i])
	}
	assert.Regexp(t, `^Reclaimed [0-9.]+ [kMG]?B in total \(3 members, .* -> .*\)$`, lines[3])
	assert.NotRegexp(t, `^Reclaimed 0 B`, lines[3], "the deleted keys' space is given back")
	assert.Contains(t, errOut.String(), "Defragmenting etcd member", "progress on a terminal")
	assert.True(t, strings.HasSuffix(errOut.String(), "\r\x1b[K"), "progress cleared")
}

func regexpQuote(s string) string {
	return strings.NewReplacer("[", `\[`, "]", `\]`).Replace(s)
}

// A failure stops the run: the member that failed is named, later members are untouched.
func TestRollingDefragStopsOnFailure(t *testing.T) {
	c, f, out, _ := rollingSetup(t)
	f.Global.CommandTimeout = 2 * time.Second
	li, err := c.Leader(10 * time.Second)
	require.NoError(t, err)
	var stopped *localcluster.Member
	o := &DefragOptions{F: f, Cluster: true, Rolling: true, afterStep: func(id uint64) error {
		if stopped != nil {
			return nil
		}
		for i, m := range c.Members {
			if i != li && m.ID() != id { // the other follower: next in line
				stopped = m
				m.Stop()
				return nil
			}
		}
		return nil
	}}
	err = runDefragRolling(o)
	require.Error(t, err)
	require.NotNil(t, stopped)
	assert.Nil(t, cmdutil.Kind(err), "a general failure (exit 1), not %T", cmdutil.Kind(err))
	assert.Contains(t, err.Error(), "failed to defragment etcd member "+stopped.Name)
	assert.Contains(t, err.Error(), "not defragmented: "+c.Members[li].Name, "the leader was left alone")
	assert.Equal(t, 1, strings.Count(out.String(), "Defragmented etcd member"), out.String())
	assert.NotContains(t, out.String(), "Reclaimed")
}

// Before anything, every member must be healthy; otherwise nothing is changed.
func TestRollingDefragRefusesUnhealthyCluster(t *testing.T) {
	c, f, out, _ := rollingSetup(t)
	f.Global.CommandTimeout = 2 * time.Second
	li, err := c.Leader(10 * time.Second)
	require.NoError(t, err)
	down := c.Members[(li+1)%3]
	f.Global.Endpoints = []string{c.Members[li].ClientURL}
	down.Stop()
	called := false
	o := &DefragOptions{F: f, Cluster: true, Rolling: true, afterStep: func(uint64) error { called = true; return nil }}
	err = runDefragRolling(o)
	require.Error(t, err)
	assert.Nil(t, cmdutil.Kind(err), "a general failure (exit 1), not %T", cmdutil.Kind(err))
	assert.Contains(t, err.Error(), "not every member is healthy, nothing was defragmented")
	assert.Contains(t, err.Error(), "  "+down.Name+" (")
	for i, m := range c.Members {
		if m != down {
			assert.NotContains(t, err.Error(), "  "+m.Name+" (", "member %d is healthy", i)
		}
	}
	assert.False(t, called)
	assert.Empty(t, out.String())
}

// A NOSPACE alarm alone does not block a rolling defragmentation (it is the way out of it).
func TestRollingDefragProceedsUnderNospace(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 3, Configure: func(_ int, cfg *embed.Config) {
		cfg.QuotaBackendBytes = 2 << 20
	}})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	ctx := context.Background()
	val := strings.Repeat("n", 64<<10)
	for i := 0; ; i++ {
		_, err := cli.Put(ctx, fmt.Sprintf("fill/%04d", i), val)
		if err != nil {
			require.ErrorContains(t, err, "database space exceeded")
			break
		}
		require.Less(t, i, 1000, "the quota never ran out")
	}
	alarms, err := cli.AlarmList(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, alarms.Alarms)
	resp, err := cli.Delete(ctx, "fill/", clientv3.WithPrefix())
	require.NoError(t, err)
	_, err = cli.Compact(ctx, resp.Header.Revision, clientv3.WithCompactPhysical())
	require.NoError(t, err)

	io, _, out, errOut := iostreams.Test()
	f := cmdutil.NewFactory(io, nil)
	f.Global.Endpoints = []string{c.Endpoints()[0]}
	f.Global.DialTimeout, f.Global.CommandTimeout = 2*time.Second, 10*time.Second
	f.Global.KeepAliveTime, f.Global.KeepAliveTimeout = 2*time.Second, 6*time.Second
	f.Global.InsecureTransport, f.Global.WriteOut = true, "simple"
	require.NoError(t, runDefragRolling(&DefragOptions{F: f, Cluster: true, Rolling: true}), "stderr: %s", errOut)
	assert.Equal(t, 3, strings.Count(out.String(), "Defragmented etcd member"), out.String())
	assert.Contains(t, out.String(), "Reclaimed ")
}

// A leader elected during the run still goes last: after the first follower, leadership moves
// to the other follower, which is then defragmented after the old leader.
func TestRollingDefragLeaderMovesDuringRun(t *testing.T) {
	c, f, out, errOut := rollingSetup(t)
	li, err := c.Leader(10 * time.Second)
	require.NoError(t, err)
	oldLeader := c.Members[li]
	var order []uint64
	var newLeader uint64
	o := &DefragOptions{F: f, Cluster: true, Rolling: true, afterStep: func(id uint64) error {
		order = append(order, id)
		if len(order) != 1 {
			return nil
		}
		for _, m := range c.Members {
			if m != oldLeader && m.ID() != id {
				newLeader = m.ID()
			}
		}
		cli, err := clientv3.New(clientv3.Config{Endpoints: []string{oldLeader.ClientURL}, DialTimeout: 2 * time.Second, Logger: zap.NewNop()})
		if err != nil {
			return err
		}
		defer cli.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err = cli.MoveLeader(ctx, newLeader)
		return err
	}}
	require.NoError(t, runDefragRolling(o), "stderr: %s", errOut)
	require.Len(t, order, 3)
	assert.Equal(t, []uint64{oldLeader.ID(), newLeader}, order[1:], "the old leader before the new one")
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 4)
	assert.Contains(t, lines[1], "[follower]")
	assert.Contains(t, lines[2], "[leader]")
}
