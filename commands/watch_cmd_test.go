package commands

import (
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/stretchr/testify/require"
)

// Parsing and validation of `watch`, in-process and without a cluster. Errors upstream reports
// only after choosing the printer reach runF as ArgErr (runWatch reports them after -w).
func TestNewCmdWatch(t *testing.T) {
	bad := &cmdutil.BadArgsError{}
	env := func(kv ...string) func(*cmdutil.Factory) {
		return func(f *cmdutil.Factory) { f.Environ = kv }
	}
	runSeamCases(t, newCmdWatch, []seamCase[WatchOptions]{
		{name: "one key, defaults", argv: []string{"k"}, want: func(t *testing.T, o *WatchOptions) {
			require.NotNil(t, o.F)
			require.NoError(t, o.ArgErr)
			require.Equal(t, "k", o.Target.key)
			require.False(t, o.Target.hasRange)
			require.Empty(t, o.Target.exec)
			require.Equal(t, watchFlags{}, o.watchFlags)
		}},
		{name: "range and flags", argv: []string{"--rev=5", "--prev-kv", "--progress-notify", "a", "b"}, want: func(t *testing.T, o *WatchOptions) {
			require.NoError(t, o.ArgErr)
			require.Equal(t, "a", o.Target.key)
			require.Equal(t, "b", o.Target.rangeEnd)
			require.True(t, o.Target.hasRange)
			require.Equal(t, watchFlags{Rev: 5, PrevKV: true, ProgressNotify: true}, o.Target.opts)
		}},
		{name: "prefix", argv: []string{"--prefix", "p"}, want: func(t *testing.T, o *WatchOptions) {
			require.True(t, o.Prefix)
			require.True(t, o.Target.opts.Prefix)
		}},
		{name: "exec after --", argv: []string{"k", "--", "echo", "hi"}, want: func(t *testing.T, o *WatchOptions) {
			require.Equal(t, "k", o.Target.key)
			require.Equal(t, []string{"echo", "hi"}, o.Target.exec)
		}},
		{name: "key from the environment", argv: []string{"--", "echo"}, setup: env("ETCDCTL_WATCH_KEY=ek", "ETCDCTL_WATCH_RANGE_END=ez"),
			want: func(t *testing.T, o *WatchOptions) {
				require.Equal(t, "ek", o.Target.key)
				require.Equal(t, "ez", o.Target.rangeEnd)
				require.Equal(t, []string{"echo"}, o.Target.exec)
			}},
		{name: "interactive", argv: []string{"-i"}, want: func(t *testing.T, o *WatchOptions) {
			require.True(t, o.Interactive)
		}},
		// Reported after the printer: `watch --prefix a b -w foo` fails on the format.
		{name: "range_end with prefix is reported later", argv: []string{"--prefix", "a", "b"}, want: func(t *testing.T, o *WatchOptions) {
			require.EqualError(t, o.ArgErr, "`range_end` and `--prefix` are mutually exclusive")
		}},
		{name: "no key is reported later", argv: []string{"--prefix"}, want: func(t *testing.T, o *WatchOptions) {
			require.EqualError(t, o.ArgErr, "bad number of arguments")
		}},
		{name: "nothing after the verb", setup: func(f *cmdutil.Factory) { f.Args = []string{"--endpoints=x", "watch"} },
			errKind: bad, errMsg: "bad number of arguments"},
		{name: "separator without command", argv: []string{"a", "--"}, errKind: bad, errMsg: "bad number of arguments (found separator --, but no commands)"},
		{name: "argument besides the environment key", argv: []string{"a"}, setup: env("ETCDCTL_WATCH_KEY=k"), errKind: bad,
			errMsg: "bad number of arguments (found conflicting environment key)"},
		{name: "range end without key in the environment", setup: env("ETCDCTL_WATCH_RANGE_END=z"), argv: []string{"-i"}, errKind: bad,
			errMsg: `ETCDCTL_WATCH_KEY is empty but got ETCDCTL_WATCH_RANGE_END="z"`},
		{name: "interactive: the line's separator error is kept, runWatch never reports it", argv: []string{"-i", "a", "--"}, want: func(t *testing.T, o *WatchOptions) {
			require.EqualError(t, o.ArgErr, "bad number of arguments (found separator --, but no commands)")
		}},
		{name: "rev not a number", argv: []string{"--rev=x", "a"},
			errMsg: `invalid argument "x" for "--rev" flag: strconv.ParseInt: parsing "x": invalid syntax`},
	})
}
