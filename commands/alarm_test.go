package commands_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/require"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
)

// alarmRaise writes until the member runs out of its (tiny) quota, which raises NOSPACE, and
// waits until the alarm is listed.
func alarmRaise(t *testing.T, cli *clientv3.Client) {
	t.Helper()
	val := strings.Repeat("x", 8<<10)
	for i := 0; ; i++ {
		require.Less(t, i, 1000, "quota never exceeded")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := cli.Put(ctx, "fill", val)
		cancel()
		if err == nil {
			continue
		}
		require.ErrorIs(t, err, rpctypes.ErrNoSpace)
		break
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := cli.AlarmList(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, resp.Alarms, "NOSPACE not raised")
}

func TestAlarm(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1, Configure: func(_ int, cfg *embed.Config) {
		cfg.QuotaBackendBytes = 128 << 10
	}})
	cli := memberClient(t, c)
	ep := "--endpoints=" + c.Hosts()[0]
	dead := "--endpoints=" + memberDeadEndpoint(t)

	variants := [][]string{{"--hex"}}
	for _, w := range append(memberFormats, "bogus") {
		variants = append(variants, []string{"-w", w}, []string{"-w", w, "--hex"})
	}

	t.Run("help and args", func(t *testing.T) {
		for _, args := range [][]string{
			{"alarm"}, {"alarm", "--help"}, {"alarm", "bogus"}, {"alarm", "list", "--help"}, {"alarm", "disarm", "--help"},
			{dead, "alarm", "list", "extra"}, {dead, "alarm", "disarm", "extra"}, {dead, "alarm", "list", "extra", "-w", "bogus"},
			{dead, "alarm", "list", "-w", "bogus"}, {dead, "alarm", "disarm", "-w", "bogus"}, {ep, "alarm", "list", "--bogus"},
		} {
			difftest.Compare(t, args, difftest.Opts{})
		}
	})
	t.Run("no alarm", func(t *testing.T) {
		for _, v := range variants {
			difftest.Compare(t, append([]string{ep, "alarm", "list"}, v...), difftest.Opts{})
			difftest.Compare(t, append([]string{ep, "alarm", "disarm"}, v...), difftest.Opts{})
		}
	})
	t.Run("NOSPACE", func(t *testing.T) {
		alarmRaise(t, cli)
		for _, v := range variants {
			difftest.Compare(t, append([]string{ep, "alarm", "list"}, v...), difftest.Opts{})
		}
		// Disarming changes the state: raise the alarm again before each binary's run.
		for _, v := range variants {
			args := append([]string{ep, "alarm", "disarm"}, v...)
			t.Run(strings.Join(v, " "), func(t *testing.T) {
				alarmRaise(t, cli)
				o := difftest.Run(t, difftest.OurBinary(t), args, difftest.Opts{})
				alarmRaise(t, cli)
				r := difftest.Run(t, difftest.RefBinary(t), args, difftest.Opts{})
				difftest.AssertSame(t, args, difftest.Pair{Ours: o, Ref: r})
			})
		}
	})
}
