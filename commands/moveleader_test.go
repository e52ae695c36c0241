package commands_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// moveLeaderEnsure makes member want the leader (transferring from the current leader if needed)
// and waits until it is.
func moveLeaderEnsure(t *testing.T, c *localcluster.Cluster, want int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !c.Members[want].IsLeader() {
		require.True(t, time.Now().Before(deadline), "member %d never became leader", want)
		cur, err := c.Leader(10 * time.Second)
		require.NoError(t, err)
		if cur == want {
			break
		}
		cli, err := clientv3.New(clientv3.Config{Endpoints: []string{c.Members[cur].ClientURL}, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, err = cli.MoveLeader(ctx, c.Members[want].ID())
		cancel()
		cli.Close()
		if err != nil {
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// moveLeaderHex is member i's ID as the command takes it.
func moveLeaderHex(c *localcluster.Cluster, i int) string {
	return strconv.FormatUint(c.Members[i].ID(), 16)
}

func TestMoveLeader(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 3})
	leader, err := c.Leader(10 * time.Second)
	require.NoError(t, err)
	other := (leader + 1) % 3
	third := (leader + 2) % 3
	all := "--endpoints=" + strings.Join(c.Hosts(), ",")

	// transfer runs args with both binaries, each starting with `from` as the leader.
	transfer := func(t *testing.T, from int, args []string) {
		t.Helper()
		moveLeaderEnsure(t, c, from)
		o := difftest.Run(t, difftest.OurBinary(t), args, difftest.Opts{})
		moveLeaderEnsure(t, c, from)
		r := difftest.Run(t, difftest.RefBinary(t), args, difftest.Opts{})
		difftest.AssertSame(t, args, difftest.Pair{Ours: o, Ref: r})
		t.Logf("%q took ours %v, reference %v", args, o.Took, r.Took)
	}

	for _, extra := range [][]string{nil, {"--hex"}, {"-w", "simple"}, {"-w", "json"}, {"-w", "json", "--hex"},
		{"-w", "protobuf"}, {"-w", "fields"}, {"-w", "table"}} {
		t.Run(strings.Join(append([]string{"transfer"}, extra...), " "), func(t *testing.T) {
			transfer(t, leader, append([]string{all, "move-leader", moveLeaderHex(c, other)}, extra...))
		})
	}
	t.Run("upper case with leading zeros", func(t *testing.T) {
		transfer(t, leader, []string{all, "move-leader", "00" + strings.ToUpper(moveLeaderHex(c, third))})
	})
	t.Run("leader only endpoint", func(t *testing.T) {
		transfer(t, leader, []string{"--endpoints=" + c.Endpoints()[leader], "move-leader", moveLeaderHex(c, other)})
	})
	t.Run("leader before a refused endpoint", func(t *testing.T) {
		dead := memberDeadEndpoint(t)
		transfer(t, leader, []string{"--endpoints=" + c.Hosts()[leader] + "," + dead, "move-leader", moveLeaderHex(c, other)})
	})

	moveLeaderEnsure(t, c, leader)
	dead := memberDeadEndpoint(t)
	for name, args := range map[string][]string{
		"to itself":             {all, "move-leader", moveLeaderHex(c, leader)},
		"unknown transferee":    {all, "move-leader", "12"},
		"zero transferee":       {all, "move-leader", "0"},
		"unknown transferee -w": {all, "move-leader", "12", "-w", "json"},
		"no leader endpoint":    {"--endpoints=" + c.Hosts()[other] + "," + c.Hosts()[third], "move-leader", moveLeaderHex(c, other)},
		"no leader endpoint (urls)": {"--endpoints=" + c.Endpoints()[third], "move-leader", moveLeaderHex(c, other),
			"-w", "table"},
		"no args":       {all, "move-leader"},
		"two args":      {all, "move-leader", "1", "2"},
		"bad hex":       {all, "move-leader", "zz"},
		"negative":      {all, "move-leader", "--", "-5"},
		"too big":       {all, "move-leader", "1234567890abcdef12"},
		"bad hex -w":    {all, "move-leader", "zz", "-w", "bogus"},
		"bad format":    {all, "move-leader", "12", "-w", "bogus"},
		"help":          {"move-leader", "--help"},
		"bad flag":      {all, "move-leader", "--bogus"},
		"dead args err": {"--endpoints=" + dead, "move-leader", "zz"},
		// A refused endpoint before the leader ends the command as upstream does (which waits out
		// --command-timeout first; we do not).
		"refused before leader": {"--endpoints=" + c.Hosts()[other] + "," + dead + "," + c.Hosts()[leader],
			"--command-timeout=1s", "move-leader", moveLeaderHex(c, third)},
		"only refused": {"--endpoints=" + dead, "--command-timeout=1s", "move-leader", moveLeaderHex(c, other)},
	} {
		t.Run(name, func(t *testing.T) {
			p := difftest.Compare(t, args, difftest.Opts{})
			t.Logf("took ours %v, reference %v", p.Ours.Took, p.Ref.Took)
		})
	}

	t.Run("stopped member", func(t *testing.T) {
		moveLeaderEnsure(t, c, leader)
		c.Members[other].Stop()
		defer func() { require.NoError(t, c.Members[other].Restart()) }()
		args := []string{"--endpoints=" + c.Hosts()[other] + "," + c.Hosts()[leader], "--command-timeout=1s",
			"move-leader", moveLeaderHex(c, third)}
		p := difftest.Compare(t, args, difftest.Opts{})
		t.Logf("took ours %v, reference %v", p.Ours.Took, p.Ref.Took)
		// the stopped member after the leader is never asked
		transfer(t, leader, []string{"--endpoints=" + c.Hosts()[leader] + "," + c.Hosts()[other], "move-leader", moveLeaderHex(c, third)})
	})
}
