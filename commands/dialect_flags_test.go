package commands_test

import (
	"strings"
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/dialect"
	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/stretchr/testify/assert"
)

// A flag that only 3.7 has is unknown to 3.5's and 3.6's parser: it is reported where that
// parser meets it, before or after the other faults of the same line. Each case pairs the flag
// with a second fault (a missing or extra argument, a bad value of another flag, a bad -w) in
// both orders, against each release's reference.

// onlyFlag is a flag a release lacks, with what its verb needs to build the pairs.
type onlyFlag struct {
	global bool     // a global flag (given before the verb)
	flag   []string // the flag (and its value)
	verb   []string // the verb it belongs to (for a global: the verb it is tried with)
	args   []string // valid arguments of the verb
	argBad []string // the verb's arguments with one missing or one too many
	bad    string   // another flag of the verb with a bad value
}

var (
	onlyGet = func(flag ...string) onlyFlag {
		return onlyFlag{flag: flag, verb: []string{"get"}, args: []string{"k1"}, argBad: []string{}, bad: "--limit=x"}
	}
	onlyGlobal = func(flag ...string) onlyFlag {
		o := onlyGet(flag...)
		o.global = true
		return o
	}
	onlyMirror = func(flag ...string) onlyFlag {
		return onlyFlag{flag: flag, verb: []string{"make-mirror"}, args: []string{"127.0.0.1:1"}, argBad: []string{},
			bad: "--dest-insecure-transport=maybe"}
	}
)

// dialectOnlyFlags are the flags of v3.7.3 each release lacks (compared help pages).
var dialectOnlyFlags = map[string][]onlyFlag{
	"3.6": {onlyGlobal("--auth-jwt-token", "sign-method=x"), onlyGet("--stream")},
	"3.5": {
		onlyGlobal("--auth-jwt-token", "sign-method=x"), onlyGlobal("--max-recv-bytes", "1000"),
		onlyGlobal("--max-request-bytes=1000"), onlyGet("--stream"), onlyGet("--max-create-rev", "9"),
		onlyGet("--max-mod-rev=9"), onlyGet("--min-create-rev", "1"), onlyGet("--min-mod-rev", "1"),
		onlyMirror("--max-txn-ops", "5"), onlyMirror("--rev=3"),
		{flag: []string{"--consistency", "s"}, verb: []string{"member", "list"}, args: []string{}, argBad: []string{"x"}, bad: "--hex=maybe"},
	},
}

// pair is one command line and which error the release reports: the unknown flag, or (when the
// other fault comes first on the line) that one.
type pair struct {
	args      []string
	flagFirst bool
}

// pairs are the command lines of o: the flag with each second fault, in both orders.
func (o onlyFlag) pairs() []pair {
	join := func(parts ...[]string) []string {
		var out []string
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	line := func(pre, mid, post []string) []string {
		if o.global {
			return join(pre, o.flag, o.verb, mid, post)
		}
		return join(pre, o.verb, mid, o.flag, post)
	}
	bad := []string{o.bad}
	badW := []string{"-w", "bad"}
	return []pair{
		{line(nil, nil, o.argBad), true},                  // flag, then the argument fault
		{line(nil, o.argBad, nil), true},                  // argument fault first (checked after parsing)
		{line(nil, bad, o.args), o.global},                // bad value before the flag
		{line(nil, nil, join(bad, o.args)), true},         // bad value after the flag
		{line(badW, nil, o.args), true},                   // bad -w before (checked after parsing)
		{line(nil, nil, join(o.args, badW)), true},        // bad -w after
		{line(nil, nil, join(badW, bad, o.argBad)), true}, // all three
		{line(nil, nil, join(o.args, []string{"--help"})), true},
	}
}

func TestDialectOnlyFlags(t *testing.T) {
	tw := difftest.NewTwin(t, 1)
	tw.Put(t, "k1", "v1")
	for _, d := range dialectRefs {
		t.Run(d.name, func(t *testing.T) {
			opts := dialectOpts(t, d.name, d.version)
			dl, err := dialect.Get(d.name)
			if !assert.NoError(t, err) {
				return
			}
			for _, o := range dialectOnlyFlags[d.name] {
				path := strings.Join(o.verb, " ") + " " + o.flag[0]
				if o.global {
					path = o.flag[0]
				}
				path = strings.Split(path, "=")[0]
				assert.True(t, dl.IsRemoved(path), "%s is not in %s's Removed list", path, d.name)
				for _, pr := range o.pairs() {
					t.Run(strings.Join(pr.args, " "), func(t *testing.T) {
						p := tw.Compare(t, pr.args, opts)
						// what the pair tests: the reference reports the error it was built for
						want := "unknown flag: " + strings.Split(o.flag[0], "=")[0]
						if !pr.flagFirst {
							want = "invalid argument"
						}
						assert.Contains(t, p.Ref.FirstErrLine(), want, "reference")
					})
				}
			}
		})
	}
}
