package commands

import (
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/stretchr/testify/require"
)

// Parsing and validation of `alarm list` and `alarm disarm`, in-process and without a cluster.
func TestNewCmdAlarm(t *testing.T) {
	bad := &cmdutil.BadArgsError{}
	runSeamCases(t, newCmdAlarmList, []seamCase[AlarmOptions]{
		{name: "list", want: func(t *testing.T, o *AlarmOptions) {
			require.NotNil(t, o.F)
			require.Equal(t, "list", o.Action)
		}},
		{name: "list with an argument", argv: []string{"x"}, errKind: bad, errMsg: "alarm list command accepts no arguments"},
	})
	runSeamCases(t, newCmdAlarmDisarm, []seamCase[AlarmOptions]{
		{name: "disarm", want: func(t *testing.T, o *AlarmOptions) { require.Equal(t, "disarm", o.Action) }},
		{name: "disarm with an argument", argv: []string{"x"}, errKind: bad, errMsg: "alarm disarm command accepts no arguments"},
	})
}
