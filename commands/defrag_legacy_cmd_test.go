package commands

import (
	"errors"
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"
)

// errOnlineDefrag marks the online defrag's RunE in the seam below.
var errOnlineDefrag = errors.New("online defrag ran")

// newCmdDefragDataDirSeam is a stand-in `defrag` (its online RunE only reports that it ran) with
// 3.5's --data-dir added, in the shape seamRun expects.
func newCmdDefragDataDirSeam(f *cmdutil.Factory, runF func(*DefragDataDirOptions) error) *cobra.Command {
	c := &cobra.Command{Use: "defrag", RunE: func(*cobra.Command, []string) error { return errOnlineDefrag }}
	withDefragDataDirRun(c, f, runF)
	return c
}

// 3.5's `defrag --data-dir` takes the offline path only when the flag is given.
func TestNewCmdDefragDataDirLegacy(t *testing.T) {
	runSeamCases(t, newCmdDefragDataDirSeam, []seamCase[DefragDataDirOptions]{
		{name: "data dir", argv: []string{"--data-dir=/var/lib/etcd"}, want: func(t *testing.T, o *DefragDataDirOptions) {
			require.NotNil(t, o.F)
			require.Equal(t, "/var/lib/etcd", o.DataDir)
		}},
		{name: "no data dir: online defrag", errMsg: errOnlineDefrag.Error()},
	})
}
