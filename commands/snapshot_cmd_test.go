package commands

import (
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/stretchr/testify/assert"
)

// Parsing and validation of `snapshot save`, in-process and without a cluster.
func TestNewCmdSnapshotSave(t *testing.T) {
	runSeamCases(t, newCmdSnapshotSave, []seamCase[SnapshotSaveOptions]{
		{name: "file", argv: []string{"/tmp/s.db"}, want: func(t *testing.T, o *SnapshotSaveOptions) {
			assert.Equal(t, "/tmp/s.db", o.Path)
			assert.False(t, o.Timed, "no deadline unless --command-timeout is given")
		}},
		{name: "command-timeout bounds the save", argv: []string{"--command-timeout=3s", "s.db"}, want: func(t *testing.T, o *SnapshotSaveOptions) {
			assert.Equal(t, "s.db", o.Path)
			assert.True(t, o.Timed)
		}},
		{name: "the default timeout given explicitly still bounds it", argv: []string{"s.db", "--command-timeout=5s"}, want: func(t *testing.T, o *SnapshotSaveOptions) { assert.True(t, o.Timed) }},
		{name: "no file", errKind: &cmdutil.BadArgsError{}, errMsg: "snapshot save expects one argument <filename>"},
		{name: "two files", argv: []string{"a", "b"}, errKind: &cmdutil.BadArgsError{}, errMsg: "snapshot save expects one argument <filename>"},
	})
}
