package commands

import (
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/stretchr/testify/require"
)

// Parsing and validation of `move-leader`, in-process and without a cluster. The ID is checked
// before the printer (upstream: `move-leader -w foo zz` fails on the ID).
func TestNewCmdMoveLeader(t *testing.T) {
	bad := &cmdutil.BadArgsError{}
	runSeamCases(t, newCmdMoveLeader, []seamCase[MoveLeaderOptions]{
		{name: "hex id", argv: []string{"8e9e05c52164694d"}, want: func(t *testing.T, o *MoveLeaderOptions) {
			require.NotNil(t, o.F)
			require.Equal(t, uint64(0x8e9e05c52164694d), o.Target)
		}},
		{name: "no id", errKind: bad, errMsg: "move-leader command needs 1 argument"},
		{name: "two ids", argv: []string{"1", "2"}, errKind: bad, errMsg: "move-leader command needs 1 argument"},
		{name: "bad hex", argv: []string{"zz"}, errKind: bad, errMsg: `strconv.ParseUint: parsing "zz": invalid syntax`},
		{name: "bad hex before an unknown format", argv: []string{"-w", "foo", "zz"}, errKind: bad, errMsg: `strconv.ParseUint: parsing "zz": invalid syntax`},
	})
}
