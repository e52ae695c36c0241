// Package gendiff draws etcdctl command lines from a grammar of every verb, flag, flag value
// (valid and not), key shape, stdin body, output format and ETCDCTL_* variable, seeded and
// reproducible, and shrinks a line that behaves differently in two binaries. The test in this
// package runs the lines with our etcdctl and the reference against twin clusters.
package gendiff

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
)

// Part kinds.
const (
	KindVerb   = iota // the verb path ("lease", "grant"); never removed when shrinking
	KindGlobal        // a global flag (with its value when separate)
	KindFlag          // a verb flag (with its value when separate)
	KindArg           // a positional argument
	KindDashes        // "--"
)

// Part is one unit of a command line: a flag with its separate value, an argument, the verb.
type Part struct {
	Toks []string
	Kind int
	Name string // flag name without dashes (for coverage), "" for arguments
}

// Placeholders in arguments, replaced per cluster when a line runs.
const (
	PhEndpoint = "{ep}"     // the cluster's client endpoint
	PhMember   = "{member}" // the first member's ID in hex
	PhDir      = "{dir}"    // a scratch directory of the side
)

// Line is one drawn command: arguments, extra environment and stdin.
type Line struct {
	Parts    []Part
	Env      []string // KEY=VALUE
	Stdin    string
	Verb     string // the verb path, "lease grant"
	Mutating bool   // may change the cluster's state
	Slow     bool   // expected to take seconds (range-delete warning, bounded watch)
	Timeout  time.Duration
	NoEnvEP  bool // endpoints come from --endpoints={ep}, not ETCDCTL_ENDPOINTS
}

// Args flattens the parts into the process arguments (placeholders not yet replaced).
func (l Line) Args() []string {
	var out []string
	for _, p := range l.Parts {
		out = append(out, p.Toks...)
	}
	return out
}

// String is the line as a shell command: `ENV=.. etcdctl 'a' 'b' <<< 'stdin'`.
func (l Line) String() string {
	var sb strings.Builder
	for _, e := range l.Env {
		sb.WriteString(shellQuote(e) + " ")
	}
	sb.WriteString("etcdctl")
	for _, a := range l.Args() {
		sb.WriteString(" " + shellQuote(a))
	}
	if l.Stdin != "" {
		fmt.Fprintf(&sb, " (stdin %q)", l.Stdin)
	}
	return sb.String()
}

func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_=./:,{}@%+", r))
	}) < 0 {
		return s
	}
	return fmt.Sprintf("%q", s)
}

// Flags lists "verb --flag" for every flag in the line (coverage).
func (l Line) Flags() []string {
	var out []string
	for _, p := range l.Parts {
		switch p.Kind {
		case KindFlag:
			out = append(out, l.Verb+" --"+p.Name)
		case KindGlobal:
			out = append(out, "global --"+p.Name)
		}
	}
	for _, e := range l.Env {
		out = append(out, "env "+strings.SplitN(e, "=", 2)[0])
	}
	return out
}

// Flag reports whether the line has the verb or global flag name (any form) and its last value.
func (l Line) Flag(name string) (string, bool) {
	val, ok := "", false
	for _, p := range l.Parts {
		if (p.Kind == KindFlag || p.Kind == KindGlobal) && p.Name == name {
			ok = true
			val = flagValue(p)
		}
	}
	return val, ok
}

func flagValue(p Part) string {
	if len(p.Toks) == 2 {
		return p.Toks[1]
	}
	if i := strings.IndexByte(p.Toks[0], '='); i >= 0 {
		return p.Toks[0][i+1:]
	}
	if strings.HasPrefix(p.Toks[0], "-w") && len(p.Toks[0]) > 2 {
		return p.Toks[0][2:]
	}
	return "true"
}

// Positionals are the line's positional arguments.
func (l Line) Positionals() []string {
	var out []string
	for _, p := range l.Parts {
		if p.Kind == KindArg {
			out = append(out, p.Toks...)
		}
	}
	return out
}

// flag describes one flag: Vals nil means boolean.
type flag struct {
	name  string
	short string
	vals  []string // valid and invalid values; nil: boolean
}

type verb struct {
	path     string
	weight   int
	flags    []flag
	args     func(r *rand.Rand) []string
	stdin    func(r *rand.Rand) string
	mutating bool
	timeout  time.Duration
	post     func(r *rand.Rand, l *Line) // last adjustments (slow marks...)
}

// Keys, values and names the grammar draws from: empty, prefix-like, unicode, spaces, leading
// dash, non-UTF-8.
var (
	keys      = []string{"k1", "k2", "k3", "k", "a", "ab", "abc", "b/c", "", "日本", "sp ace", "-dash", "z", "nokey", "\xff", "kl", "k\ttab"}
	values    = []string{"v", "", "two words", "-v", "日本語", "line1\nline2", strings.Repeat("x", 300), "\"q\"", "v2"}
	leaseIDs  = []string{"1234abcd", "2a", "1234ABCD", "0", "zz", "", "ffffffff", "-1", "0x2a", "7fffffffffffffff"}
	users     = []string{"alice", "bob", "root", "", "日本", "-u", "carol"}
	roles     = []string{"r1", "r2", "root", "", "-r"}
	revisions = []string{"0", "1", "2", "3", "5", "8", "13", "21", "1000", "-1", "x", "", "99999999999999999999"}
	formats   = []string{"simple", "json", "fields", "protobuf", "table"}
	badFmts   = []string{"", "yaml", "JSON", "bogus"}
)

// LeasePool are the fixed lease IDs the harness grants on both clusters (hex).
var LeasePool = []int64{0x1234abcd, 0x2a}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func keyArgs(r *rand.Rand, max int) []string {
	n := r.IntN(max + 1)
	if n > 1 && r.IntN(3) > 0 {
		n = 1 // one key most of the time
	}
	out := make([]string, n)
	for i := range out {
		out[i] = pick(r, keys)
	}
	return out
}

func oneOf(sets ...[]string) func(r *rand.Rand) []string {
	return func(r *rand.Rand) []string { return pick(r, sets) }
}

var (
	consistency = []string{"l", "s", "x", "L", ""}
	sortBy      = []string{"CREATE", "KEY", "MODIFY", "VALUE", "VERSION", "key", "value", "x", ""}
	order       = []string{"ASCEND", "DESCEND", "descend", "x", ""}
	limits      = []string{"0", "1", "2", "3", "-1", "abc", "", "100"}
	ttls        = []string{"10", "600", "0", "-1", "abc", "", "9999999999", "1.5"}
	permTypes   = []string{"read", "write", "readwrite", "READ", "x", ""}
)

var verbs = []verb{
	{path: "get", weight: 30, flags: []flag{
		{name: "consistency", vals: consistency}, {name: "count-only"}, {name: "from-key"}, {name: "keys-only"},
		{name: "limit", vals: limits}, {name: "max-create-rev", vals: revisions}, {name: "max-mod-rev", vals: revisions},
		{name: "min-create-rev", vals: revisions}, {name: "min-mod-rev", vals: revisions}, {name: "order", vals: order},
		{name: "prefix"}, {name: "print-value-only"}, {name: "rev", vals: revisions}, {name: "sort-by", vals: sortBy},
		{name: "stream"},
	}, args: func(r *rand.Rand) []string { return keyArgs(r, 3) }},
	{path: "put", weight: 18, mutating: true, flags: []flag{
		{name: "ignore-lease"}, {name: "ignore-value"}, {name: "lease", vals: leaseIDs}, {name: "prev-kv"},
	}, args: func(r *rand.Rand) []string {
		switch r.IntN(6) {
		case 0:
			return keyArgs(r, 1) // value from stdin (or none)
		case 1:
			return []string{pick(r, keys), pick(r, values), pick(r, values)}
		default:
			return []string{pick(r, keys), pick(r, values)}
		}
	}, stdin: func(r *rand.Rand) string {
		if r.IntN(2) == 0 {
			return ""
		}
		return pick(r, values) + pick(r, []string{"", "\n", "\r\n"})
	}},
	{path: "del", weight: 10, mutating: true, flags: []flag{
		{name: "from-key"}, {name: "prefix"}, {name: "prev-kv"}, {name: "range"},
	}, args: func(r *rand.Rand) []string { return keyArgs(r, 3) }, post: markDelSlow},
	{path: "txn", weight: 10, mutating: true, flags: []flag{{name: "interactive", short: "i"}},
		args: func(r *rand.Rand) []string {
			if r.IntN(12) == 0 {
				return []string{"x"}
			}
			return nil
		}, stdin: txnScript, post: markTxnSlow},
	{path: "compaction", weight: 2, mutating: true, flags: []flag{{name: "physical"}},
		args: func(r *rand.Rand) []string {
			switch r.IntN(8) {
			case 0:
				return nil
			case 1:
				return []string{"1", "2"}
			}
			return []string{pick(r, []string{"1", "2", "3", "5", "0", "-1", "abc", "99999", ""})}
		}},
	{path: "lease grant", weight: 3, mutating: true, args: func(r *rand.Rand) []string {
		if r.IntN(8) == 0 {
			return nil
		}
		return []string{pick(r, ttls)}
	}},
	{path: "lease revoke", weight: 2, mutating: true, args: leaseArg},
	{path: "lease timetolive", weight: 3, flags: []flag{{name: "keys"}}, args: leaseArg},
	{path: "lease list", weight: 2, args: oneOf(nil, nil, nil, []string{"x"})},
	{path: "lease keep-alive", weight: 2, flags: []flag{{name: "once", vals: []string{"true"}}}, args: leaseArg,
		post: func(r *rand.Rand, l *Line) {
			if r.IntN(4) == 0 {
				// Runs until killed: the first keep-alive must be on stdout by then.
				for i := 0; i < len(l.Parts); i++ {
					if l.Parts[i].Name == "once" {
						l.Parts = append(l.Parts[:i], l.Parts[i+1:]...)
						i--
					}
				}
				l.Timeout, l.Slow = 2*time.Second, true
				return
			}
			ensureOnce(l)
		}},
	{path: "lease", weight: 1, args: oneOf(nil, []string{"bogus"})},
	{path: "alarm list", weight: 1, args: oneOf(nil, []string{"x"})},
	{path: "alarm disarm", weight: 1, args: oneOf(nil, []string{"x"})},
	{path: "alarm", weight: 1},
	{path: "defrag", weight: 1, flags: []flag{{name: "cluster"}}, args: oneOf(nil, nil, []string{"x"})},
	{path: "endpoint status", weight: 2, flags: []flag{{name: "cluster"}}, args: oneOf(nil, nil, []string{"x"})},
	{path: "endpoint health", weight: 2, flags: []flag{{name: "cluster"}}, args: oneOf(nil, nil, []string{"x"})},
	{path: "endpoint hashkv", weight: 2, flags: []flag{{name: "cluster"}, {name: "rev", vals: revisions}}, args: oneOf(nil, nil, []string{"x"})},
	{path: "member list", weight: 2, flags: []flag{{name: "consistency", vals: consistency}}, args: oneOf(nil, nil, []string{"x"})},
	// Only forms that cannot change the membership: no name, bad URLs, unknown IDs, a voter.
	{path: "member add", weight: 1, flags: []flag{{name: "learner"}, {name: "peer-urls", vals: []string{"foo", "", "http://", "ftp://127.0.0.1:1", "::"}}},
		args: oneOf(nil, []string{"m2"}, []string{"a", "b"})},
	{path: "member remove", weight: 1, args: oneOf(nil, []string{"1234"}, []string{"zz"}, []string{"a", "b"})},
	{path: "member update", weight: 1, flags: []flag{{name: "peer-urls", vals: []string{"http://127.0.0.1:1", "foo", ""}}},
		args: oneOf(nil, []string{"1234"}, []string{"zz"})},
	{path: "member promote", weight: 1, args: oneOf(nil, []string{"1234"}, []string{"zz"}, []string{PhMember})},
	{path: "move-leader", weight: 1, args: oneOf(nil, []string{"1234"}, []string{"zz"}, []string{PhMember}, []string{"a", "b"})},
	{path: "user add", weight: 4, mutating: true, flags: []flag{
		{name: "interactive", vals: []string{"false", "true", "x"}}, {name: "new-user-password", vals: []string{"pw", "", "p w"}},
		{name: "no-password"},
	}, args: func(r *rand.Rand) []string {
		switch r.IntN(6) {
		case 0:
			return nil
		case 1:
			return []string{pick(r, users) + ":" + pick(r, []string{"pw", "", "a:b"})}
		case 2:
			return []string{pick(r, users), "x"}
		}
		return []string{pick(r, users)}
	}, stdin: passwordStdin},
	{path: "user get", weight: 2, flags: []flag{{name: "detail"}}, args: userArgs},
	{path: "user list", weight: 2, args: oneOf(nil, nil, []string{"x"})},
	{path: "user delete", weight: 2, mutating: true, args: userArgs},
	{path: "user passwd", weight: 1, mutating: true, flags: []flag{{name: "interactive", vals: []string{"false", "true"}}}, args: userArgs, stdin: passwordStdin},
	{path: "user grant-role", weight: 2, mutating: true, args: userRoleArgs},
	{path: "user revoke-role", weight: 2, mutating: true, args: userRoleArgs},
	{path: "role add", weight: 2, mutating: true, args: roleArgs},
	{path: "role get", weight: 2, args: roleArgs},
	{path: "role list", weight: 1, args: oneOf(nil, nil, []string{"x"})},
	{path: "role delete", weight: 1, mutating: true, args: roleArgs},
	{path: "role grant-permission", weight: 3, mutating: true, flags: []flag{{name: "from-key"}, {name: "prefix"}},
		args: func(r *rand.Rand) []string {
			out := []string{pick(r, roles), pick(r, permTypes)}
			for n := r.IntN(3); n > 0; n-- {
				out = append(out, pick(r, keys))
			}
			if r.IntN(6) == 0 {
				out = out[:r.IntN(len(out))]
			}
			return out
		}},
	{path: "role revoke-permission", weight: 2, mutating: true, flags: []flag{{name: "from-key"}, {name: "prefix"}},
		args: func(r *rand.Rand) []string {
			out := []string{pick(r, roles)}
			for n := r.IntN(3); n > 0; n-- {
				out = append(out, pick(r, keys))
			}
			return out
		}},
	{path: "auth status", weight: 1, args: oneOf(nil, nil, []string{"x"})},
	{path: "auth enable", weight: 1, mutating: true, args: oneOf(nil, nil, []string{"x"})},
	{path: "auth disable", weight: 1, mutating: true, args: oneOf(nil, []string{"x"})},
	{path: "version", weight: 1, args: oneOf(nil, nil, []string{"x"})},
	{path: "options", weight: 1},
	{path: "completion", weight: 1, args: oneOf(nil, []string{"foo"}, []string{"bash", "zsh"})},
	{path: "help", weight: 1, args: oneOf(nil, []string{"get"}, []string{"lease", "grant"}, []string{"bogus"})},
	{path: "bogus", weight: 1},
	{path: "snapshot save", weight: 1, args: oneOf(nil, []string{PhDir + "/snap.db"}, []string{PhDir + "/no/such/dir/s.db"}, []string{"a", "b"})},
	{path: "snapshot", weight: 1, args: oneOf(nil, []string{"bogus"})},
	{path: "downgrade validate", weight: 1, args: oneOf(nil, []string{"3.6"}, []string{"3.7"}, []string{"x"}, []string{"3.8"}, []string{"3.6.0"})},
	{path: "downgrade enable", weight: 1, args: oneOf(nil, []string{"3.7"}, []string{"x"}, []string{"3.8"}, []string{"2.0"})},
	{path: "downgrade cancel", weight: 1, args: oneOf(nil, []string{"x"})},
	{path: "check perf", weight: 1, flags: []flag{{name: "load", vals: []string{"bogus", "", "xxl"}}, {name: "prefix", vals: []string{"/p/"}}, {name: "auto-compact"}, {name: "auto-defrag"}},
		post: func(r *rand.Rand, l *Line) { ensureFlag(l, "load", "bogus") }},
	{path: "check datascale", weight: 1, flags: []flag{{name: "load", vals: []string{"bogus", "", "xxl"}}, {name: "prefix", vals: []string{"/p/"}}, {name: "auto-compact"}, {name: "auto-defrag"}},
		post: func(r *rand.Rand, l *Line) { ensureFlag(l, "load", "bogus") }},
	{path: "lock", weight: 1, flags: []flag{{name: "ttl", vals: []string{"10", "x"}}}},
	{path: "elect", weight: 1, flags: []flag{{name: "listen", short: "l"}}, args: oneOf(nil, []string{"a", "b", "c"})},
	{path: "make-mirror", weight: 1, flags: []flag{{name: "prefix", vals: []string{"p"}}, {name: "no-dest-prefix"}, {name: "dest-prefix", vals: []string{"d"}}, {name: "max-txn-ops", vals: []string{"x", "-1"}}},
		args: oneOf(nil, []string{"a", "b"})},
	// A watch is bounded by a short timeout; mostly forms that fail at once.
	{path: "watch", weight: 1, timeout: 2 * time.Second, flags: []flag{
		{name: "interactive", short: "i"}, {name: "prefix"}, {name: "prev-kv"}, {name: "progress-notify"}, {name: "rev", vals: []string{"x", "", "-1", "1", "2", "5"}},
	}, args: oneOf(nil, []string{"a", "b", "c"}, []string{"k"}, []string{"k1"}, []string{"k", "l"}), stdin: func(r *rand.Rand) string {
		if r.IntN(3) == 0 {
			return pick(r, []string{"watch k1 --rev=1\n", "watch k --prefix --rev=2\n", "bogus\n", "watch\n"})
		}
		return ""
	}, post: func(r *rand.Rand, l *Line) { l.Slow = true }},
}

func leaseArg(r *rand.Rand) []string {
	switch r.IntN(10) {
	case 0:
		return nil
	case 1:
		return []string{"1234abcd", "2a"}
	}
	return []string{pick(r, leaseIDs)}
}

func userArgs(r *rand.Rand) []string {
	switch r.IntN(8) {
	case 0:
		return nil
	case 1:
		return []string{pick(r, users), "x"}
	}
	return []string{pick(r, users)}
}

func roleArgs(r *rand.Rand) []string {
	switch r.IntN(8) {
	case 0:
		return nil
	case 1:
		return []string{pick(r, roles), "x"}
	}
	return []string{pick(r, roles)}
}

func userRoleArgs(r *rand.Rand) []string {
	switch r.IntN(8) {
	case 0:
		return []string{pick(r, users)}
	case 1:
		return []string{pick(r, users), pick(r, roles), "x"}
	}
	return []string{pick(r, users), pick(r, roles)}
}

func passwordStdin(r *rand.Rand) string {
	return pick(r, []string{"", "pw\n", "pw", "p w\n", "\n", "pw\npw\n"})
}

func ensureOnce(l *Line) {
	if _, ok := l.Flag("once"); !ok {
		l.Parts = append(l.Parts, Part{Toks: []string{"--once"}, Kind: KindFlag, Name: "once"})
	}
	for i, p := range l.Parts {
		if p.Name == "once" {
			l.Parts[i].Toks = []string{"--once"}
		}
	}
}

// ensureFlag makes sure the (slow) verb fails before it starts working.
func ensureFlag(l *Line, name, val string) {
	for i, p := range l.Parts {
		if p.Name == name {
			l.Parts[i].Toks = []string{"--" + name + "=" + val}
			return
		}
	}
	l.Parts = append(l.Parts, Part{Toks: []string{"--" + name + "=" + val}, Kind: KindFlag, Name: name})
}

// markDelSlow: a range delete without --range warns and waits two seconds.
func markDelSlow(r *rand.Rand, l *Line) {
	if len(l.Positionals()) == 2 {
		if _, ok := l.Flag("range"); !ok {
			l.Slow = true
		}
	}
}

func markTxnSlow(r *rand.Rand, l *Line) {
	for _, s := range strings.Split(l.Stdin, "\n") {
		f := strings.Fields(s)
		if len(f) == 3 && f[0] == "del" {
			l.Slow = true
		}
	}
}

// txnScript draws a txn body: compares, success ops, failure ops; sometimes malformed.
func txnScript(r *rand.Rand) string {
	var sb strings.Builder
	nl := "\n"
	if r.IntN(15) == 0 {
		nl = "\r\n"
	}
	for n := r.IntN(3); n > 0; n-- {
		sb.WriteString(txnCompare(r) + nl)
	}
	sb.WriteString(nl)
	for n := r.IntN(3); n > 0; n-- {
		sb.WriteString(txnOp(r) + nl)
	}
	sb.WriteString(nl)
	for n := r.IntN(3); n > 0; n-- {
		sb.WriteString(txnOp(r) + nl)
	}
	sb.WriteString(nl)
	s := sb.String()
	if r.IntN(10) == 0 {
		s = s[:r.IntN(len(s)+1)] // truncated
	}
	return s
}

func txnCompare(r *rand.Rand) string {
	target := pick(r, []string{"value", "val", "v", "mod", "m", "create", "c", "ver", "version", "MOD", "foo"})
	if r.IntN(40) == 0 {
		target = "lease" // upstream panics: accepted difference
	}
	op := pick(r, []string{"=", "!=", "<", ">"})
	if r.IntN(25) == 0 {
		op = pick(r, []string{"==", "~", ">="}) // upstream panics: accepted difference
	}
	key := pick(r, keys)
	quoted := fmt.Sprintf("%q", key)
	if r.IntN(6) == 0 {
		quoted = "`" + key + "`"
	}
	val := pick(r, []string{"v", "0", "1", "3", "abc", "", "-1", "x y"})
	vq := fmt.Sprintf("%q", val)
	if r.IntN(10) == 0 {
		vq = val // unquoted
	}
	sp := " "
	if r.IntN(10) == 0 {
		sp = ""
	}
	return target + "(" + quoted + ")" + sp + op + sp + vq
}

func txnOp(r *rand.Rand) string {
	q := func(s string) string {
		if s == "" || strings.ContainsAny(s, " \t\"'\\") || r.IntN(5) == 0 {
			return fmt.Sprintf("%q", s)
		}
		return s
	}
	switch r.IntN(7) {
	case 0, 1:
		s := "get " + q(pick(r, keys))
		for _, f := range []string{"--prefix", "--keys-only", "--count-only", "--limit=2", "--order=DESCEND", "--sort-by=VALUE", "--rev=2", "--from-key", "--bogus"} {
			if r.IntN(6) == 0 {
				s += " " + f
			}
		}
		return s
	case 2, 3:
		s := "put " + q(pick(r, keys)) + " " + q(pick(r, values))
		for _, f := range []string{"--prev-kv", "--lease=1234abcd", "--lease=zz", "--ignore-value", "--ignore-lease"} {
			if r.IntN(7) == 0 {
				s += " " + f
			}
		}
		return s
	case 4, 5:
		s := "del " + q(pick(r, keys))
		if r.IntN(10) == 0 {
			s += " " + q(pick(r, keys)) + " --range"
		}
		for _, f := range []string{"--prev-kv", "--prefix", "--from-key"} {
			if r.IntN(6) == 0 {
				s += " " + f
			}
		}
		return s
	}
	return pick(r, []string{"GET k", "foo bar", "\"", "put", "get", "delete k", "put k v --bogus"})
}

// globals are the global flags; endpoints, TLS and discovery are left to the harness.
var globals = []flag{
	{name: "write-out", short: "w", vals: append(append([]string{}, formats...), badFmts...)},
	{name: "hex"},
	{name: "command-timeout", vals: []string{"5s", "3s", "x", "10", ""}},
	{name: "dial-timeout", vals: []string{"2s", "3s", "x"}},
	{name: "keepalive-time", vals: []string{"2s", "x"}},
	{name: "keepalive-timeout", vals: []string{"6s"}},
	{name: "max-recv-bytes", vals: []string{"0", "100", "x", "10000000"}},
	{name: "max-request-bytes", vals: []string{"0", "50", "x"}},
	{name: "debug"},
	{name: "user", vals: []string{"alice:pw", "nobody:x"}},
	{name: "password", vals: []string{"pw"}},
	{name: "insecure-skip-tls-verify"},
	{name: "insecure-discovery"},
	{name: "endpoints", vals: []string{PhEndpoint}},
}

var envs = []string{
	"ETCDCTL_WRITE_OUT=json", "ETCDCTL_WRITE_OUT=table", "ETCDCTL_WRITE_OUT=bogus", "ETCDCTL_WRITE_OUT=protobuf",
	"ETCDCTL_HEX=true", "ETCDCTL_HEX=x", "ETCDCTL_COMMAND_TIMEOUT=3s", "ETCDCTL_DIAL_TIMEOUT=x",
	"ETCDCTL_BOGUS=1", "ETCDCTL_API=3", "ETCDCTL_API=2", "ETCDCTL_USER=nobody:x", "ETCDCTL_DEBUG=true",
}

// flagForm renders a flag: --x=v, --x v, -s v, -sv; for booleans also --x=false and bad values.
func flagForm(r *rand.Rand, f flag, kind int) Part {
	p := Part{Kind: kind, Name: f.name}
	long := "--" + f.name
	if f.vals == nil {
		switch r.IntN(12) {
		case 0:
			p.Toks = []string{long + "=false"}
		case 1:
			p.Toks = []string{long + "=" + pick(r, []string{"true", "x", ""})}
		default:
			if f.short != "" && r.IntN(2) == 0 {
				p.Toks = []string{"-" + f.short}
			} else {
				p.Toks = []string{long}
			}
		}
		return p
	}
	v := pick(r, f.vals)
	switch r.IntN(4) {
	case 0:
		p.Toks = []string{long, v}
	case 1:
		if f.short != "" {
			if r.IntN(2) == 0 {
				p.Toks = []string{"-" + f.short, v}
			} else {
				p.Toks = []string{"-" + f.short + v}
			}
			break
		}
		fallthrough
	default:
		p.Toks = []string{long + "=" + v}
	}
	return p
}

// Gen draws lines for a seed. Line i depends only on (seed, i), so any line can be redrawn alone.
type Gen struct {
	Seed  uint64
	total int
}

// New returns a generator for seed.
func New(seed uint64) *Gen {
	g := &Gen{Seed: seed}
	for _, v := range verbs {
		g.total += v.weight
	}
	return g
}

// Draw returns line i.
func (g *Gen) Draw(i int) Line {
	r := rand.New(rand.NewPCG(g.Seed, uint64(i)))
	n := r.IntN(g.total)
	var v verb
	for _, v = range verbs {
		if n < v.weight {
			break
		}
		n -= v.weight
	}
	l := Line{Verb: v.path, Mutating: v.mutating, Timeout: v.timeout}
	l.Parts = append(l.Parts, Part{Toks: strings.Fields(v.path), Kind: KindVerb})
	if v.path == "options" || v.path == "bogus" {
		l.Parts[0].Toks = []string{v.path}
	}
	// Verb flags: each with a small chance, more when a verb has few.
	var tail []Part
	for _, f := range v.flags {
		if r.IntN(4) == 0 {
			tail = append(tail, flagForm(r, f, KindFlag))
		}
	}
	if r.IntN(40) == 0 {
		tail = append(tail, Part{Toks: []string{pick(r, []string{"--bogus", "-Z", "--help", "-h"})}, Kind: KindFlag, Name: "bogus/help"})
	}
	// Global flags: -w often, the rest rarely.
	for _, f := range globals {
		chance := 30
		switch f.name {
		case "write-out":
			chance = 2
		case "hex":
			chance = 6
		}
		if r.IntN(chance) == 0 {
			p := flagForm(r, f, KindGlobal)
			if f.name == "write-out" && r.IntN(6) != 0 {
				p.Toks = []string{"-w", pick(r, formats)} // mostly valid formats
				if r.IntN(5) == 0 {
					p.Toks[1] = pick(r, badFmts)
				}
			}
			if f.name == "endpoints" {
				l.NoEnvEP = true
			}
			if r.IntN(3) == 0 {
				l.Parts = append(l.Parts[:0:0], append([]Part{p}, l.Parts...)...) // before the verb
			} else {
				tail = append(tail, p)
			}
		}
	}
	if r.IntN(25) == 0 {
		l.Env = append(l.Env, pick(r, envs))
	}
	// Positional arguments, interleaved with the flags; "--" before one that starts with '-'.
	var args []string
	if v.args != nil {
		args = v.args(r)
	}
	r.Shuffle(len(tail), func(i, j int) { tail[i], tail[j] = tail[j], tail[i] })
	dashes := false
	next := 0 // positionals keep their order
	for _, a := range args {
		if strings.HasPrefix(a, "-") && !dashes && r.IntN(4) != 0 {
			tail = append(tail, Part{Toks: []string{"--"}, Kind: KindDashes})
			dashes = true
		}
		if dashes {
			tail = append(tail, Part{Toks: []string{a}, Kind: KindArg})
			continue
		}
		at := next + r.IntN(len(tail)-next+1)
		tail = append(tail[:at], append([]Part{{Toks: []string{a}, Kind: KindArg}}, tail[at:]...)...)
		next = at + 1
	}
	l.Parts = append(l.Parts, tail...)
	if v, ok := l.Flag("insecure-skip-tls-verify"); ok && v == "true" {
		// TLS against the plain endpoints: every request waits for its deadline (or forever).
		l.Parts = append([]Part{{Toks: []string{"--command-timeout=1s"}, Kind: KindGlobal, Name: "command-timeout"}}, l.Parts...)
		l.Timeout = 4 * time.Second
	}
	if v.stdin != nil {
		l.Stdin = v.stdin(r)
	}
	if v.post != nil {
		v.post(r, &l)
	}
	return l
}

// Coverage is every "verb --flag" pair of the grammar plus the global flags and variables.
func Coverage() []string {
	var out []string
	for _, v := range verbs {
		for _, f := range v.flags {
			out = append(out, v.path+" --"+f.name)
		}
	}
	for _, f := range globals {
		out = append(out, "global --"+f.name)
	}
	seen := map[string]bool{}
	for _, e := range envs {
		k := "env " + strings.SplitN(e, "=", 2)[0]
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Verbs lists the grammar's verb paths.
func Verbs() []string {
	var out []string
	for _, v := range verbs {
		out = append(out, v.path)
	}
	return out
}
