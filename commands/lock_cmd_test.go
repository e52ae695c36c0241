package commands

import (
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/stretchr/testify/require"
)

// Parsing and validation of `lock` and `elect`, in-process and without a cluster.
func TestNewCmdLock(t *testing.T) {
	runSeamCases(t, newCmdLock, []seamCase[LockOptions]{
		{name: "name, default ttl", argv: []string{"mylock"}, want: func(t *testing.T, o *LockOptions) {
			require.NotNil(t, o.F)
			require.Equal(t, "mylock", o.Name)
			require.Equal(t, 10, o.TTL)
			require.Empty(t, o.Argv)
		}},
		{name: "command and ttl", argv: []string{"--ttl=30", "mylock", "echo", "hi"}, want: func(t *testing.T, o *LockOptions) {
			require.Equal(t, 30, o.TTL)
			require.Equal(t, []string{"echo", "hi"}, o.Argv)
		}},
		{name: "command flags after --", argv: []string{"mylock", "--", "ls", "-l"}, want: func(t *testing.T, o *LockOptions) {
			require.Equal(t, []string{"ls", "-l"}, o.Argv)
		}},
		{name: "no name", errKind: &cmdutil.BadArgsError{}, errMsg: "lock takes a lock name argument and an optional command to execute"},
		{name: "ttl not a number", argv: []string{"--ttl=x", "a"},
			errMsg: `invalid argument "x" for "--ttl" flag: strconv.ParseInt: parsing "x": invalid syntax`},
	})
}

func TestNewCmdElect(t *testing.T) {
	bad := &cmdutil.BadArgsError{}
	runSeamCases(t, newCmdElect, []seamCase[ElectOptions]{
		{name: "campaign", argv: []string{"e", "p1"}, want: func(t *testing.T, o *ElectOptions) {
			require.NotNil(t, o.F)
			require.Equal(t, "e", o.Name)
			require.Equal(t, "p1", o.Proposal)
			require.True(t, o.HasProposal)
			require.False(t, o.Listen)
		}},
		{name: "observe", argv: []string{"-l", "e"}, want: func(t *testing.T, o *ElectOptions) {
			require.True(t, o.Listen)
			require.False(t, o.HasProposal)
		}},
		// Upstream checks these after choosing the printer (`elect -w foo a` fails on the format):
		// they reach runF and runElect reports them.
		{name: "no proposal, no -l: checked later", argv: []string{"e"}, want: func(t *testing.T, o *ElectOptions) {
			require.False(t, o.HasProposal || o.Listen)
		}},
		{name: "proposal with -l: checked later", argv: []string{"-l", "e", "p"}, want: func(t *testing.T, o *ElectOptions) {
			require.True(t, o.HasProposal && o.Listen)
		}},
		{name: "no name", errKind: bad, errMsg: "elect takes one election name argument and an optional proposal argument"},
		{name: "three args", argv: []string{"a", "b", "c"}, errKind: bad, errMsg: "elect takes one election name argument and an optional proposal argument"},
	})
}
