package commands

import (
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/stretchr/testify/assert"
)

// Parsing and validation of `compaction`, in-process and without a cluster.
func TestNewCmdCompaction(t *testing.T) {
	runSeamCases(t, newCmdCompaction, []seamCase[CompactionOptions]{
		{name: "revision", argv: []string{"42"}, want: func(t *testing.T, o *CompactionOptions) {
			assert.EqualValues(t, 42, o.Rev)
			assert.False(t, o.Physical)
		}},
		{name: "physical", argv: []string{"--physical", "7"}, want: func(t *testing.T, o *CompactionOptions) {
			assert.EqualValues(t, 7, o.Rev)
			assert.True(t, o.Physical)
		}},
		{name: "negative revision reaches the server", argv: []string{"--", "-1"}, want: func(t *testing.T, o *CompactionOptions) { assert.EqualValues(t, -1, o.Rev) }},
		{name: "no revision", errKind: &cmdutil.BadArgsError{}, errMsg: "compaction command needs 1 argument"},
		{name: "two revisions", argv: []string{"1", "2"}, errKind: &cmdutil.BadArgsError{}, errMsg: "compaction command needs 1 argument"},
		// Upstream reports the parse error bare, a general failure (exit 1).
		{name: "not a number", argv: []string{"x"}, errMsg: `strconv.ParseInt: parsing "x": invalid syntax`},
	})
}
