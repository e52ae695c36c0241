package commands_test

import (
	"strings"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
)

// watch checks in an order of its own: the watch variables, then the words after `watch` on the
// command line (a flag before the verb does not count as one), then the format, whether from
// -w or ETCDCTL_WRITE_OUT, then the remaining arguments. Lines that would watch for real are
// ended by the timeout in both binaries alike.
func TestWatchCheckOrderDifferential(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{})
	lines := []string{"watch", "-w yaml watch", "watch k z extra -w yaml", "watch --", "-w yaml watch --",
		"watch -i -w yaml", "watch -w yaml --", "-w yaml watch --prefix", "-w json watch --prefix", "-w json watch",
		"watch --rev 3", "-w yaml watch k --", "-w yaml watch -- echo", "-w yaml wat", "-w yaml watch -i",
		"watch k -w yaml", "-w yaml watch --rev 1 k z --prefix", "watch --prefix k z", "watch -w yaml --prefix k z"}
	envs := []string{"", "ETCDCTL_WRITE_OUT=yaml", "ETCDCTL_WATCH_KEY=k", "ETCDCTL_WATCH_RANGE_END=z",
		"ETCDCTL_WATCH_KEY=k ETCDCTL_WATCH_RANGE_END=z"}
	for _, env := range envs {
		for _, line := range lines {
			if strings.Contains(env, "WRITE_OUT") && strings.Contains(line, "-w") {
				continue // flag and variable both set: a deliberate difference (README)
			}
			opts := difftest.Opts{Env: append(strings.Fields(env), "ETCDCTL_ENDPOINTS="+c.Hosts()[0]), Timeout: 2 * time.Second}
			t.Run(env+" "+line, func(t *testing.T) {
				t.Parallel()
				difftest.Compare(t, strings.Fields(line), opts)
			})
		}
	}
}
