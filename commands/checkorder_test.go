package commands_test

import (
	"strings"
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
)

// Upstream checks a command line in a fixed order (arguments, flag values, output format,
// connection, server, then what only the response tells), so with two mistakes in one line the
// first check decides the error line and the exit code, and sometimes whether the change is made
// at all. checkOrderCases names, per verb, inputs that are each wrong (or odd) on their own; the
// test runs every one alone and every pair of them, with our binary and the reference, against
// twin clusters in the same state, and compares stdout, exit code and the first error line.
//
// Fragments are whitespace-separated words; "”" stands for an empty argument. Nothing here may
// enable auth, remove a member or block: every fragment pair still fails or finishes at once.
var checkOrderCases = []struct {
	verb   string
	faults []string
}{
	{"get", []string{"", "k", "k z extra", "--prefix k z", "--prefix --from-key", "--keys-only --count-only", "--consistency x",
		"--order y", "--sort-by z", "--min-create-rev 5 --max-create-rev 3", "--min-mod-rev 5 --max-mod-rev 3",
		"--count-only", "--print-value-only", "--rev 99999", "--prefix", "'' --prefix --order DESCEND", "--limit x"}},
	{"put", []string{"", "k v extra", "k", "--ignore-value k v", "--lease zz k v", "--lease 123 k v", "--ignore-lease k"}},
	{"del", []string{"", "a b c", "--prefix --from-key", "--prefix k z", "--from-key", "--prev-kv nokey"}},
	{"compaction", []string{"", "x", "1 2", "99999", "--physical x"}},
	{"watch", []string{"--rev x", "-i k", "--", "--prefix --from-key"}},
	{"lease grant", []string{"", "x", "1 2"}},
	{"lease revoke", []string{"", "zz", "1 2", "123"}},
	{"lease timetolive", []string{"", "zz", "123", "--keys", "1 2"}},
	{"lease list", []string{"extra"}},
	{"lease keep-alive", []string{"", "zz", "--once 123"}},
	{"member add", []string{"", "m1", "--peer-urls ://bad", "--learner", "a b"}},
	{"member remove", []string{"", "zz", "123", "1 2"}},
	{"member update", []string{"", "zz", "123", "--peer-urls http://127.0.0.1:1"}},
	{"member promote", []string{"", "zz", "123"}},
	{"member list", []string{"extra", "--consistency x", "--hex"}},
	{"endpoint status", []string{"extra", "--cluster"}},
	{"endpoint health", []string{"extra", "--cluster"}},
	{"endpoint hashkv", []string{"--rev x", "--rev 99999", "--cluster"}},
	{"alarm list", []string{"extra"}},
	{"alarm disarm", []string{"extra"}},
	{"defrag", []string{"extra", "--cluster"}},
	{"move-leader", []string{"", "zz", "123", "1 2"}},
	{"snapshot save", []string{"", "a b"}},
	{"user add", []string{"", "a b", "u1:pw", "--no-password u2", "--interactive=false u3"}},
	{"user get", []string{"", "nouser", "--detail nouser"}},
	{"user delete", []string{"", "nouser"}},
	{"user grant-role", []string{"", "nouser", "nouser norole"}},
	{"user revoke-role", []string{"", "nouser norole"}},
	{"user list", []string{"extra"}},
	{"role add", []string{"", "a b", "r1"}},
	{"role get", []string{"", "norole"}},
	{"role delete", []string{"", "norole"}},
	{"role grant-permission", []string{"", "norole", "norole bogus k", "norole read k", "--prefix norole read k z", "--from-key norole read"}},
	{"role revoke-permission", []string{"", "norole k", "--prefix norole k z", "--from-key norole"}},
	{"role list", []string{"extra"}},
	{"auth status", []string{"extra"}},
	{"lock", []string{"", "--ttl x"}},
	{"elect", []string{"", "--listen", "--listen n v", "n"}},
	{"txn", []string{"extra", "-i=x"}},
	{"version", []string{"extra"}},
	{"downgrade validate", []string{"", "x", "3.6 extra"}},
	{"downgrade enable", []string{"", "x"}},
	{"make-mirror", []string{"", "a b", "--max-txn-ops x"}},
	// check runs a minute-long workload once its input is valid: every line here stays invalid.
	{"check perf --load x", []string{"", "-w yaml", "-w json", "extra"}},
	{"check datascale --load x", []string{"", "-w yaml", "-w json", "extra"}},
}

// formatFaults are paired with every verb's faults: unknown, empty and unsupported formats.
var formatFaults = []string{"-w yaml", "-w ''", "-w table", "-w json", "-w protobuf"}

func splitFragment(s string) []string {
	var out []string
	for _, w := range strings.Fields(s) {
		if w == "''" {
			w = ""
		}
		out = append(out, w)
	}
	return out
}

func TestCheckOrderDifferential(t *testing.T) {
	tw := difftest.NewTwin(t, 1)
	tw.Put(t, "k", "v")
	tw.Put(t, "z", "last")
	for _, c := range checkOrderCases {
		faults := c.faults
		if !strings.HasPrefix(c.verb, "check") {
			faults = append(append([]string{}, c.faults...), formatFaults...)
		}
		lines := map[string][]string{}
		var order []string
		add := func(frags ...string) {
			args := splitFragment(c.verb)
			for _, f := range frags {
				args = append(args, splitFragment(f)...)
			}
			key := strings.Join(frags, " | ")
			if _, dup := lines[key]; !dup {
				lines[key] = args
				order = append(order, key)
			}
		}
		for i, a := range faults {
			add(a)
			for _, b := range faults[i+1:] {
				add(a, b)
			}
		}
		// Verbs that report live state (timings, raft index, db size) run both binaries against
		// the same cluster, with durations and table padding masked.
		live := strings.HasPrefix(c.verb, "endpoint") || c.verb == "defrag"
		t.Run(c.verb, func(t *testing.T) {
			for _, key := range order {
				args := lines[key]
				t.Run(key, func(t *testing.T) {
					if live {
						env := []string{"ETCDCTL_ENDPOINTS=" + strings.Join(tw.A.Hosts(), ",")}
						endpointCompare(t, args, difftest.Opts{Env: env, Timeout: 15e9}, endpointNormTable, endpointNormTook, defragNormTook)
						return
					}
					var norm []difftest.Normalizer
					if strings.Contains(key, "table") { // masked IDs of different lengths pad columns differently
						norm = append(norm, endpointNormTable)
					}
					tw.Compare(t, args, difftest.Opts{Timeout: 15e9}, norm...)
				})
			}
		})
	}
}

// An empty range_end is still a range_end: `del k ”` warns and waits like any explicit range
// (found by the generated differential tests), on the verb and on a txn line.
func TestDelEmptyRangeEndDifferential(t *testing.T) {
	tw := difftest.NewTwin(t, 1)
	tw.Put(t, "ab", "v")
	tw.Compare(t, []string{"del", "ab", ""}, difftest.Opts{})
	tw.Compare(t, []string{"txn"}, difftest.Opts{Stdin: "\n\ndel ab \"\"\n\n"})
}
