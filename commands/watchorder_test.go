package commands_test

import (
	"context"
	"strings"
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/require"
)

// watchOrderLive are the lines that, with ETCDCTL_WATCH_KEY=k set (and no range end for
// --prefix), pass every check and watch for real in the reference (one watch each, on k or from k).
var watchOrderLive = map[string]bool{"watch": true, "-w json watch --prefix": true, "-w json watch": true, "watch --rev 3": true}

// watch checks in an order of its own: the watch variables, then the words after `watch` on the
// command line (a flag before the verb does not count as one), then the format, whether from
// -w or ETCDCTL_WRITE_OUT, then the remaining arguments. The lines that fail a check must end by
// themselves (each run is bounded only by difftest's generous default); the lines that watch for
// real are run as the differential watch cases are (watchRunCases: the server shows the watch
// open, a sentinel on k is printed by both, the output is compared up to it).
func TestWatchCheckOrderDifferential(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{})
	lines := []string{"watch", "-w yaml watch", "watch k z extra -w yaml", "watch --", "-w yaml watch --",
		"watch -i -w yaml", "watch -w yaml --", "-w yaml watch --prefix", "-w json watch --prefix", "-w json watch",
		"watch --rev 3", "-w yaml watch k --", "-w yaml watch -- echo", "-w yaml wat", "-w yaml watch -i",
		"watch k -w yaml", "-w yaml watch --rev 1 k z --prefix", "watch --prefix k z", "watch -w yaml --prefix k z"}
	envs := []string{"", "ETCDCTL_WRITE_OUT=yaml", "ETCDCTL_WATCH_KEY=k", "ETCDCTL_WATCH_RANGE_END=z",
		"ETCDCTL_WATCH_KEY=k ETCDCTL_WATCH_RANGE_END=z"}
	var live []*watchCase
	for _, env := range envs {
		for _, line := range lines {
			if strings.Contains(env, "WRITE_OUT") && strings.Contains(line, "-w") {
				continue // flag and variable both set: a deliberate difference (README)
			}
			vars := append(strings.Fields(env), "ETCDCTL_ENDPOINTS="+c.Hosts()[0])
			rangeAndPrefix := strings.Contains(env, "RANGE_END") && strings.Contains(line, "--prefix")
			if strings.Contains(env, "ETCDCTL_WATCH_KEY=k") && watchOrderLive[line] && !rangeAndPrefix {
				live = append(live, &watchCase{name: env + " " + line, args: strings.Fields(line), env: vars, watchers: 1})
				continue
			}
			t.Run(env+" "+line, func(t *testing.T) {
				t.Parallel()
				difftest.Compare(t, strings.Fields(line), difftest.Opts{Env: vars})
			})
		}
	}
	// `watch --rev 3` waits for revision 3: the sentinel is that one.
	cli := memberClient(t, c)
	r, err := cli.Put(context.Background(), "a", "before")
	require.NoError(t, err)
	require.Equal(t, int64(2), r.Header.Revision)
	watchRunCases(t, c, []string{"k"}, live)
	for _, wc := range live {
		t.Run(wc.name, func(t *testing.T) { difftest.AssertSame(t, wc.args, wc.pair) })
	}
}
