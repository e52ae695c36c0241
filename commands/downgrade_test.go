package commands_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// downgradeCancel cancels any downgrade in progress with the set-up client, then waits until
// every member reports no downgrade and the cluster version is back to what it was (cancelling
// is applied by each member in its own time).
func downgradeCancel(t *testing.T, cli *clientv3.Client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := cli.Downgrade(ctx, clientv3.DowngradeCancel, "")
	if err != nil && !strings.Contains(err.Error(), "no inflight downgrade job") {
		require.NoError(t, err)
	}
	waitFor(t, 30*time.Second, "downgrade cancelled on every member", func() bool {
		return !strings.Contains(downgradeState(t, cli), "enabled=true")
	})
}

// downgradeState is what every member says of a downgrade: enabled, target, the cluster version.
func downgradeState(t *testing.T, cli *clientv3.Client) string {
	t.Helper()
	var sb strings.Builder
	for _, ep := range cli.Endpoints() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		st, err := cli.Status(ctx, ep)
		cancel()
		if err != nil {
			return "status: " + err.Error()
		}
		di := (*pb.StatusResponse)(st).GetDowngradeInfo()
		fmt.Fprintf(&sb, "enabled=%v target=%q storage=%q;", di.GetEnabled(), di.GetTargetVersion(), st.StorageVersion)
	}
	return sb.String()
}

// downgradeSettled is downgradeState once every member reports the same (the leader's decision
// reaches the followers as it is applied); members that still disagree after 10 s fail the test.
func downgradeSettled(t *testing.T, cli *clientv3.Client) string {
	t.Helper()
	var st string
	waitFor(t, 10*time.Second, "members agree on the downgrade state", func() bool {
		st = downgradeState(t, cli)
		parts := strings.Split(strings.TrimSuffix(st, ";"), ";")
		for _, p := range parts[1:] {
			if p != parts[0] {
				return false
			}
		}
		return true
	})
	return st
}

func TestDowngrade(t *testing.T) {
	dead := "--endpoints=" + memberDeadEndpoint(t)
	t.Run("help and args", func(t *testing.T) {
		for _, args := range [][]string{
			{"downgrade"}, {"downgrade", "--help"}, {"downgrade", "bogus"}, {"downgrade", "validate", "--help"},
			{"downgrade", "enable", "--help"}, {"downgrade", "cancel", "--help"}, {"help", "downgrade", "cancel"},
			{dead, "downgrade", "validate"}, {dead, "downgrade", "validate", "a", "b"}, {dead, "downgrade", "enable"},
			{dead, "downgrade", "enable", "a", "b"}, {dead, "downgrade", "validate", "-w", "bogus"},
			{dead, "downgrade", "validate", "3.6", "-w", "bogus"}, {dead, "downgrade", "cancel", "-w", "bogus"},
			{dead, "downgrade", "enable", "3.6", "-w", "bogus"}, {dead, "downgrade", "enable", "--bogus"},
			{dead, "downgrade", "validate", ""}, {dead, "downgrade", "enable", "", "-w", "bogus"},
		} {
			difftest.Compare(t, args, difftest.Opts{})
		}
	})

	for _, size := range []int{1, 3} {
		t.Run(map[int]string{1: "one member", 3: "three members"}[size], func(t *testing.T) {
			c := localcluster.StartT(t, localcluster.Options{Size: size})
			cli := memberClient(t, c)
			ep := "--endpoints=" + c.Hosts()[0]
			variants := [][]string{nil, {"--hex"}}
			for _, w := range memberFormats {
				variants = append(variants, []string{"-w", w})
			}
			variants = append(variants, []string{"-w", "json", "--hex"})

			// validate and cancel (with no downgrade going on) leave the cluster as it was.
			for _, v := range variants {
				for _, verb := range [][]string{{"validate", "3.6"}, {"validate", "3.6.0"}, {"cancel"}} {
					difftest.Compare(t, append(append([]string{ep, "downgrade"}, verb...), v...), difftest.Opts{})
				}
			}
			// enable changes the state when it succeeds: cancel it before the other binary's run.
			enable := func(t *testing.T, args []string) {
				o := difftest.Run(t, difftest.OurBinary(t), args, difftest.Opts{})
				oursState := downgradeSettled(t, cli)
				downgradeCancel(t, cli)
				r := difftest.Run(t, difftest.RefBinary(t), args, difftest.Opts{})
				refState := downgradeSettled(t, cli)
				downgradeCancel(t, cli)
				difftest.AssertSame(t, args, difftest.Pair{Ours: o, Ref: r})
				// What the members were told, not only what was printed.
				assert.Equal(t, refState, oursState, "downgrade state after %q", args)
			}
			for _, target := range []string{"3.5", "3.7", "3.8", "v3.6", "abc", "3", "", " ", "3.6 ", "3.6.1-rc", "3.6.x"} {
				difftest.Compare(t, []string{ep, "downgrade", "validate", target}, difftest.Opts{})
				enable(t, []string{ep, "downgrade", "enable", target, "-w", "table"})
			}
			difftest.Compare(t, []string{ep, "downgrade", "cancel", "extra", "args"}, difftest.Opts{})

			for _, v := range variants {
				args := append([]string{ep, "downgrade", "enable", "3.6"}, v...)
				t.Run("enable "+strings.Join(v, " "), func(t *testing.T) { enable(t, args) })
			}
			// While a downgrade is going on, validate and enable fail; cancel ends it.
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_, err := cli.Downgrade(ctx, clientv3.DowngradeEnable, "3.6")
			require.NoError(t, err)
			difftest.Compare(t, []string{ep, "downgrade", "validate", "3.6"}, difftest.Opts{})
			difftest.Compare(t, []string{ep, "downgrade", "enable", "3.6", "-w", "json"}, difftest.Opts{})
			difftest.Compare(t, []string{ep, "downgrade", "cancel"}, difftest.Opts{})
			difftest.Compare(t, []string{ep, "downgrade", "cancel", "-w", "json"}, difftest.Opts{})
		})
	}
}
