package commands

import (
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// Parsing and validation of the downgrade verbs, in-process and without a cluster.
func TestNewCmdDowngrade(t *testing.T) {
	bad := &cmdutil.BadArgsError{}
	for _, v := range []struct {
		name   string
		newCmd func(*cmdutil.Factory, func(*DowngradeOptions) error) *cobra.Command
		action clientv3.DowngradeAction
	}{{"validate", newCmdDowngradeValidate, clientv3.DowngradeValidate}, {"enable", newCmdDowngradeEnable, clientv3.DowngradeEnable}} {
		t.Run(v.name, func(t *testing.T) {
			runSeamCases(t, v.newCmd, []seamCase[DowngradeOptions]{
				{name: "version", argv: []string{"3.6"}, want: func(t *testing.T, o *DowngradeOptions) {
					require.NotNil(t, o.F)
					require.Equal(t, v.name, o.Name)
					require.Equal(t, v.action, o.Action)
					require.Equal(t, "3.6", o.Version)
				}},
				{name: "version as given, the server judges it", argv: []string{"v3.x"}, want: func(t *testing.T, o *DowngradeOptions) {
					require.Equal(t, "v3.x", o.Version)
				}},
				{name: "no version", errKind: bad, errMsg: "TARGET_VERSION not provided"},
				{name: "no version before an unknown format", argv: []string{"-w", "foo"}, errKind: bad, errMsg: "TARGET_VERSION not provided"},
				{name: "two versions", argv: []string{"3.5", "3.6"}, errKind: bad, errMsg: "too many arguments"},
				{name: "empty version", argv: []string{""}, errKind: bad, errMsg: "target version not provided"},
			})
		})
	}
	runSeamCases(t, newCmdDowngradeCancel, []seamCase[DowngradeOptions]{
		{name: "cancel", want: func(t *testing.T, o *DowngradeOptions) {
			require.Equal(t, "cancel", o.Name)
			require.Equal(t, clientv3.DowngradeCancel, o.Action)
			require.Equal(t, "", o.Version)
		}},
		{name: "cancel ignores arguments", argv: []string{"3.6", "x"}, want: func(t *testing.T, o *DowngradeOptions) {
			require.Equal(t, "", o.Version)
		}},
	})
}
