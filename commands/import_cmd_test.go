package commands

import (
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/loader"
	"github.com/stretchr/testify/assert"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// Parsing and validation of `import`, in-process and without a cluster.
func TestNewCmdImport(t *testing.T) {
	runSeamCases(t, newCmdImport, []seamCase[ImportOptions]{
		{name: "defaults: stdin", want: func(t *testing.T, o *ImportOptions) {
			assert.Empty(t, o.Input)
			assert.False(t, o.Plain)
			assert.Equal(t, loader.DefaultMaxTxnOps, o.MaxTxnOps)
			assert.Equal(t, loader.DefaultConcurrency, o.Concurrency)
			assert.Empty(t, o.Prefix+o.DestPrefix)
			assert.False(t, o.DryRun)
			assert.Zero(t, o.Lease)
		}},
		{name: "every flag", argv: []string{"--plain", "--max-txn-ops", "7", "--concurrency", "3", "--prefix", "/a/", "--dest-prefix", "/b/",
			"--dry-run", "--lease", "7fffffff", "in.json"}, want: func(t *testing.T, o *ImportOptions) {
			assert.Equal(t, "in.json", o.Input)
			assert.True(t, o.Plain)
			assert.Equal(t, 7, o.MaxTxnOps)
			assert.Equal(t, 3, o.Concurrency)
			assert.Equal(t, "/a/", o.Prefix)
			assert.Equal(t, "/b/", o.DestPrefix)
			assert.True(t, o.DryRun)
			assert.Equal(t, clientv3.LeaseID(0x7fffffff), o.Lease)
		}},
		{name: "dash is stdin", argv: []string{"-"}, want: func(t *testing.T, o *ImportOptions) { assert.Equal(t, "-", o.Input) }},
		{name: "two files", argv: []string{"a", "b"}, errKind: &cmdutil.BadArgsError{}, errMsg: "import takes at most one argument: a file, or - for stdin"},
		{name: "zero max-txn-ops", argv: []string{"--max-txn-ops", "0"}, errKind: &cmdutil.BadArgsError{}, errMsg: "--max-txn-ops must be at least 1"},
		{name: "zero concurrency", argv: []string{"--concurrency=0"}, errKind: &cmdutil.BadArgsError{}, errMsg: "--concurrency must be at least 1"},
		{name: "max-txn-ops checked before concurrency", argv: []string{"--concurrency=0", "--max-txn-ops=-1"}, errKind: &cmdutil.BadArgsError{}, errMsg: "--max-txn-ops must be at least 1"},
		{name: "bad lease", argv: []string{"--lease", "zz"}, errKind: &cmdutil.BadArgsError{}, errMsg: `bad lease ID (strconv.ParseInt: parsing "zz": invalid syntax), expecting ID in Hex`},
		{name: "arg count before values", argv: []string{"--max-txn-ops", "0", "a", "b"}, errKind: &cmdutil.BadArgsError{}, errMsg: "import takes at most one argument: a file, or - for stdin"},
		{name: "not a number", argv: []string{"--concurrency", "x"}, errMsg: `invalid argument "x" for "--concurrency" flag: strconv.ParseInt: parsing "x": invalid syntax`},
	})
}
