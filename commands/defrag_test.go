package commands_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/stretchr/testify/assert"
)

// defragTookRe matches the timing of a defrag line ("took 3.2ms" / "took 1.0s.").
var defragTookRe = regexp.MustCompile(`took [0-9.]+(ns|µs|ms|s)`)

func defragNormTook(b []byte) []byte { return defragTookRe.ReplaceAll(b, []byte("took DUR")) }

// defragCompare compares a defrag run, including the timing-free stderr lines.
func defragCompare(t *testing.T, args []string) {
	t.Helper()
	p := difftest.Both(t, args, difftest.Opts{})
	p.Ours.Stderr = defragNormTook(p.Ours.Stderr)
	p.Ref.Stderr = defragNormTook(p.Ref.Stderr)
	difftest.AssertSame(t, args, p, defragNormTook)
}

func TestDefrag(t *testing.T) {
	for _, args := range [][]string{{"defrag", "--help"}, {"defrag", "--bogus"}, {"help", "defrag"}} {
		// Our --rolling and --wait-between are added lines; upstream's are all there, in order.
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			p := difftest.Both(t, args, difftest.Opts{})
			assert.Equal(t, p.Ref.Code, p.Ours.Code)
			assert.NoError(t, difftest.AddedLinesOnly(string(p.Ref.Stdout), string(p.Ours.Stdout), difftest.OurHelpLines()...))
			assert.NoError(t, difftest.AddedLinesOnly(string(p.Ref.Stderr), string(p.Ours.Stderr), difftest.OurHelpLines()...))
		})
	}
	for _, size := range []int{1, 3} {
		t.Run(fmt.Sprintf("members=%d", size), func(t *testing.T) {
			c := endpointStart(t, size)
			eps := c.Hosts()
			dead := endpointDeadHost(t)
			for _, args := range [][]string{
				endpointArgs(eps, "defrag"),
				endpointArgs(eps, "defrag", "--cluster"),
				endpointArgs(eps[:1], "defrag", "--cluster"),
				endpointArgs(eps, "-w", "json", "defrag"),
				endpointArgs(eps, "-w", "table", "defrag", "--cluster"),
				endpointArgs(eps, "-w", "protobuf", "defrag"),
				endpointArgs(eps, "-w", "bogus", "defrag"),
				endpointArgs(eps, "defrag", "extra"),
				endpointArgs(append([]string{dead}, eps...), "--command-timeout=1s", "defrag"),
				endpointArgs(append(append([]string{}, eps...), dead), "--command-timeout=1s", "defrag"),
				endpointArgs([]string{dead}, "--command-timeout=1s", "defrag", "--cluster"),
				endpointArgs([]string{dead, eps[0]}, "--command-timeout=1s", "defrag", "--cluster"),
			} {
				t.Run(strings.Join(args[1:], " "), func(t *testing.T) {
					if strings.Contains(strings.Join(args, " "), dead) {
						t.Parallel() // the reference waits for the 1s timeout on the dead member
					}
					defragCompare(t, args)
				})
			}
		})
	}
}
