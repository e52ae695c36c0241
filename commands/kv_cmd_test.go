package commands

import (
	"bytes"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/dialect"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// Parsing and validation of `get`, in-process and without a cluster. Messages are the reference's.
func TestNewCmdGet(t *testing.T) {
	bad := &cmdutil.BadArgsError{}
	feature := &cmdutil.BadFeatureError{}
	runSeamCases(t, newCmdGet, []seamCase[GetOptions]{
		{name: "defaults", argv: []string{"k"}, want: func(t *testing.T, o *GetOptions) {
			require.NotNil(t, o.F)
			require.Equal(t, "k", o.Key)
			require.Equal(t, "", o.End)
			require.Equal(t, "l", o.Consistency)
			require.Zero(t, o.Limit)
			require.Zero(t, o.Rev)
			require.False(t, o.Prefix || o.FromKey || o.KeysOnly || o.CountOnly || o.ValueOnly || o.Stream)
			require.False(t, o.sorted)
			require.Equal(t, clientv3.SortNone, o.sortOrder)
			require.False(t, o.hasRevFilters())
		}},
		{name: "range end", argv: []string{"a", "b"}, want: func(t *testing.T, o *GetOptions) {
			require.Equal(t, "a", o.Key)
			require.Equal(t, "b", o.End)
			k, e := o.keyRange()
			require.Equal(t, []string{"a", "b"}, []string{k, e})
		}},
		{name: "arguments after range_end are ignored", argv: []string{"a", "b", "c"}, want: func(t *testing.T, o *GetOptions) {
			require.Equal(t, []string{"a", "b"}, []string{o.Key, o.End})
		}},
		{name: "every flag", argv: []string{"--prefix", "--consistency=s", "--limit=5", "--rev=7", "--keys-only", "--print-value-only",
			"--min-create-rev=1", "--max-create-rev=2", "--min-mod-rev=3", "--max-mod-rev=4", "--stream", "p"},
			want: func(t *testing.T, o *GetOptions) {
				require.Equal(t, "p", o.Key)
				require.True(t, o.Prefix)
				require.Equal(t, "s", o.Consistency)
				require.EqualValues(t, 5, o.Limit)
				require.EqualValues(t, 7, o.Rev)
				require.True(t, o.KeysOnly)
				require.True(t, o.ValueOnly)
				require.EqualValues(t, []int64{1, 2, 3, 4}, []int64{o.MinCreateRev, o.MaxCreateRev, o.MinModRev, o.MaxModRev})
				require.True(t, o.Stream)
				k, e := o.keyRange()
				require.Equal(t, []string{"p", "q"}, []string{k, e})
			}},
		{name: "prefix of everything", argv: []string{"--prefix", ""}, want: func(t *testing.T, o *GetOptions) {
			k, e := o.keyRange()
			require.Equal(t, []string{"\x00", "\x00"}, []string{k, e})
		}},
		{name: "from-key", argv: []string{"--from-key", "m"}, want: func(t *testing.T, o *GetOptions) {
			require.True(t, o.FromKey)
			k, e := o.keyRange()
			require.Equal(t, []string{"m", "\x00"}, []string{k, e})
		}},
		{name: "sort-by alone sorts ascending", argv: []string{"--sort-by=modify", "k"}, want: func(t *testing.T, o *GetOptions) {
			require.True(t, o.sorted)
			require.Equal(t, clientv3.SortByModRevision, o.sortTarget)
			require.Equal(t, clientv3.SortAscend, o.sortOrder)
		}},
		{name: "order alone", argv: []string{"--order=descend", "k"}, want: func(t *testing.T, o *GetOptions) {
			require.True(t, o.sorted)
			require.Equal(t, clientv3.SortByKey, o.sortTarget)
			require.Equal(t, clientv3.SortDescend, o.sortOrder)
		}},
		{name: "every sort target", argv: []string{"--sort-by=VERSION", "--order=ASCEND", "k"}, want: func(t *testing.T, o *GetOptions) {
			require.Equal(t, clientv3.SortByVersion, o.sortTarget)
			require.Equal(t, clientv3.SortAscend, o.sortOrder)
		}},
		{name: "max rev 0 means none", argv: []string{"--min-create-rev=9", "--min-mod-rev=9", "k"}, want: func(t *testing.T, o *GetOptions) {
			require.True(t, o.hasRevFilters())
		}},
		{name: "no key", errKind: bad, errMsg: msgGetArgs},
		{name: "prefix and from-key", argv: []string{"--prefix", "--from-key", "a"}, errKind: bad,
			errMsg: "`--prefix` and `--from-key` cannot be set at the same time, choose one"},
		{name: "prefix and from-key before bad consistency", argv: []string{"--consistency=x", "--prefix", "--from-key", "a"}, errKind: bad,
			errMsg: "`--prefix` and `--from-key` cannot be set at the same time, choose one"},
		{name: "keys-only and count-only", argv: []string{"--keys-only", "--count-only", "a"}, errKind: bad,
			errMsg: "`--keys-only` and `--count-only` cannot be set at the same time, choose one"},
		{name: "bad consistency", argv: []string{"--consistency=x", "a"}, errKind: feature, errMsg: `unknown consistency flag "x"`},
		{name: "prefix with range_end", argv: []string{"--prefix", "a", "b"}, errKind: bad,
			errMsg: "too many arguments, only accept one argument when `--prefix` or `--from-key` is set"},
		{name: "from-key with range_end", argv: []string{"--from-key", "a", "b"}, errKind: bad,
			errMsg: "too many arguments, only accept one argument when `--prefix` or `--from-key` is set"},
		{name: "bad order", argv: []string{"--order=foo", "a"}, errKind: feature, errMsg: "bad sort order foo"},
		{name: "bad sort target", argv: []string{"--sort-by=foo", "a"}, errKind: feature, errMsg: "bad sort target foo"},
		{name: "bad order before bad sort target", argv: []string{"--sort-by=foo", "--order=bar", "a"}, errKind: feature, errMsg: "bad sort order bar"},
		{name: "create revs crossed", argv: []string{"--min-create-rev=5", "--max-create-rev=3", "a"}, errKind: feature,
			errMsg: "getMinCreateRev(=5) > getMaxCreateRev(=3)"},
		{name: "mod revs crossed", argv: []string{"--min-mod-rev=5", "--max-mod-rev=3", "a"}, errKind: feature,
			errMsg: "getMinModRev(=5) > getMaxModRev(=3)"},
		{name: "limit not a number", argv: []string{"--limit=x", "a"},
			errMsg: `invalid argument "x" for "--limit" flag: strconv.ParseInt: parsing "x": invalid syntax`},
	})
}

// Parsing and validation of `put`: the value comes from the arguments or, later, from stdin.
func TestNewCmdPut(t *testing.T) {
	bad := &cmdutil.BadArgsError{}
	runSeamCases(t, newCmdPut, []seamCase[PutOptions]{
		{name: "key and value", argv: []string{"k", "v"}, want: func(t *testing.T, o *PutOptions) {
			require.NotNil(t, o.F)
			require.Equal(t, "k", o.Key)
			require.Equal(t, "v", o.Value)
			require.Equal(t, "0", o.Lease)
			require.False(t, o.ValueFromStdin || o.PrevKV || o.IgnoreValue || o.IgnoreLease)
		}},
		{name: "value after --", argv: []string{"k", "--", "-v"}, want: func(t *testing.T, o *PutOptions) {
			require.Equal(t, "-v", o.Value)
		}},
		{name: "value from stdin, read later", argv: []string{"k"}, want: func(t *testing.T, o *PutOptions) {
			require.True(t, o.ValueFromStdin)
			require.Equal(t, "", o.Value)
		}},
		{name: "bad lease waits for stdin", argv: []string{"--lease=zz", "k"}, want: func(t *testing.T, o *PutOptions) {
			require.True(t, o.ValueFromStdin)
			require.Equal(t, "zz", o.Lease)
		}},
		{name: "flags", argv: []string{"--lease=1f", "--prev-kv", "--ignore-lease", "k", "v"}, want: func(t *testing.T, o *PutOptions) {
			require.Equal(t, "1f", o.Lease)
			require.True(t, o.PrevKV)
			require.True(t, o.IgnoreLease)
			id, err := ParseLeaseID(o.Lease)
			require.NoError(t, err)
			require.EqualValues(t, 0x1f, id)
		}},
		{name: "ignore-value needs no value", argv: []string{"--ignore-value", "k"}, want: func(t *testing.T, o *PutOptions) {
			require.True(t, o.IgnoreValue)
			require.False(t, o.ValueFromStdin)
			require.Equal(t, "", o.Value)
		}},
		{name: "extra arguments are ignored", argv: []string{"k", "v", "w"}, want: func(t *testing.T, o *PutOptions) {
			require.Equal(t, "v", o.Value)
		}},
		{name: "no key", errKind: bad, errMsg: "put command needs 1 argument and input from stdin or 2 arguments"},
		{name: "ignore-value with a value", argv: []string{"--ignore-value", "k", "v"}, errKind: bad,
			errMsg: "put command needs only 1 argument when 'ignore-value' is set"},
		{name: "bad lease", argv: []string{"--lease=zz", "k", "v"}, errKind: bad,
			errMsg: `bad lease ID (strconv.ParseInt: parsing "zz": invalid syntax), expecting ID in Hex`},
		{name: "bad lease with ignore-value", argv: []string{"--lease=zz", "--ignore-value", "k"}, errKind: bad,
			errMsg: `bad lease ID (strconv.ParseInt: parsing "zz": invalid syntax), expecting ID in Hex`},
	})
}

// Parsing and validation of `del`; the range warning and its pause come later, in runDel.
func TestNewCmdDel(t *testing.T) {
	bad := &cmdutil.BadArgsError{}
	runSeamCases(t, newCmdDel, []seamCase[DelOptions]{
		{name: "one key", argv: []string{"k"}, want: func(t *testing.T, o *DelOptions) {
			require.NotNil(t, o.F)
			require.Equal(t, "k", o.Key)
			require.False(t, o.hasEnd || o.Prefix || o.FromKey || o.PrevKV || o.Range)
			require.Empty(t, o.rangeWarning())
		}},
		{name: "range warns without --range", argv: []string{"a", "b"}, want: func(t *testing.T, o *DelOptions) {
			require.Equal(t, []string{"a", "b"}, []string{o.Key, o.End})
			require.True(t, o.hasEnd)
			require.Equal(t, "Warning: Keys between \"a\" and \"b\" will be deleted. Please interrupt the command within next 2 seconds to cancel. You can provide `--range` flag to avoid the delay.", o.rangeWarning())
		}},
		{name: "empty range end still warns", argv: []string{"a", ""}, want: func(t *testing.T, o *DelOptions) {
			require.True(t, o.hasEnd)
			require.NotEmpty(t, o.rangeWarning())
		}},
		{name: "range with --range", argv: []string{"--range", "--prev-kv", "a", "b"}, want: func(t *testing.T, o *DelOptions) {
			require.True(t, o.Range)
			require.True(t, o.PrevKV)
			require.Empty(t, o.rangeWarning())
		}},
		{name: "prefix", argv: []string{"--prefix", "p"}, want: func(t *testing.T, o *DelOptions) { require.True(t, o.Prefix) }},
		{name: "from-key", argv: []string{"--from-key", "p"}, want: func(t *testing.T, o *DelOptions) { require.True(t, o.FromKey) }},
		{name: "no key", errKind: bad, errMsg: msgDelArgs},
		{name: "three args", argv: []string{"a", "b", "c"}, errKind: bad,
			errMsg: "del command needs one argument as key and an optional argument as range_end"},
		{name: "prefix and from-key", argv: []string{"--prefix", "--from-key", "a"}, errKind: bad,
			errMsg: "`--prefix` and `--from-key` cannot be set at the same time, choose one"},
		{name: "prefix with range_end", argv: []string{"--prefix", "a", "b"}, errKind: bad,
			errMsg: "too many arguments, only accept one argument when `--prefix` or `--from-key` is set"},
	})
}

// del's range warning (and its two-second pause) belong to runDel: parsing a range prints nothing.
func TestNewCmdDelNoWarningBeforeRun(t *testing.T) {
	o, out, errOut, err := seamOutput(t, newCmdDel, "a", "b")
	require.NoError(t, err)
	require.NotEmpty(t, o.rangeWarning())
	require.Empty(t, out)
	require.Empty(t, errOut)
}

// put leaves stdin unread until runPut: parsing `put k` with a value waiting on stdin consumes none of it.
func TestNewCmdPutLeavesStdin(t *testing.T) {
	var in interface{ Len() int }
	o, err := seamRunWith(t, func(f *cmdutil.Factory) {
		b := f.IO.In.(interface {
			WriteString(string) (int, error)
			Len() int
		})
		b.WriteString("value")
		in = b
	}, newCmdPut, "k")
	require.NoError(t, err)
	require.True(t, o.ValueFromStdin)
	require.Equal(t, 5, in.Len())
}

// A range delete waits the grace period after its warning, except in 3.5, which prints its
// notice and goes on (no cluster: the request that follows fails on a refused endpoint).
func TestDelRangeGraceByDialect(t *testing.T) {
	for _, tc := range []struct {
		dialect string
		waits   bool
		line    string
	}{
		{"3.7", true, "Warning: Keys between"},
		{"3.6", true, "Warning: Keys between"},
		{"3.5", false, "In etcd v3.6, the operation will be suspended"},
	} {
		t.Run(tc.dialect, func(t *testing.T) {
			var paused []time.Duration
			o, err := seamRunWith(t, func(f *cmdutil.Factory) {
				d, err := dialect.Get(tc.dialect)
				require.NoError(t, err)
				f.Dialect = d
				f.Pause = func(d time.Duration) { paused = append(paused, d) }
				f.Global.Endpoints = []string{"127.0.0.1:1"}
			}, newCmdDel, "a", "c")
			require.NoError(t, err)
			var errOut bytes.Buffer
			o.F.IO.ErrOut = &errOut
			_ = runDel(o)
			assert.Contains(t, errOut.String(), tc.line)
			if tc.waits {
				assert.Equal(t, []time.Duration{delRangeGrace}, paused)
			} else {
				assert.Empty(t, paused)
			}
		})
	}
}
