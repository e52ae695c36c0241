package commands

import (
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/stretchr/testify/assert"
)

// Parsing and validation of `du`, in-process and without a cluster.
func TestNewCmdDu(t *testing.T) {
	runSeamCases(t, newCmdDu, []seamCase[DuOptions]{
		{name: "defaults: the whole keyspace", want: func(t *testing.T, o *DuOptions) {
			assert.Empty(t, o.Prefix)
			assert.Zero(t, o.Depth)
			assert.Zero(t, o.Top)
		}},
		{name: "every flag", argv: []string{"/registry", "--depth", "2", "--top", "10"}, want: func(t *testing.T, o *DuOptions) {
			assert.Equal(t, "/registry", o.Prefix)
			assert.Equal(t, 2, o.Depth)
			assert.Equal(t, 10, o.Top)
		}},
		{name: "two prefixes", argv: []string{"/a", "/b"}, errKind: &cmdutil.BadArgsError{}, errMsg: "du takes at most one argument: the prefix"},
		{name: "negative depth", argv: []string{"--depth=-1"}, errKind: &cmdutil.BadArgsError{}, errMsg: "--depth must not be negative"},
		{name: "negative top", argv: []string{"--top=-1"}, errKind: &cmdutil.BadArgsError{}, errMsg: "--top must not be negative"},
		{name: "depth checked before top", argv: []string{"--top=-1", "--depth=-1"}, errKind: &cmdutil.BadArgsError{}, errMsg: "--depth must not be negative"},
		{name: "arg count first", argv: []string{"--depth=-1", "a", "b"}, errKind: &cmdutil.BadArgsError{}, errMsg: "du takes at most one argument: the prefix"},
	})
}
