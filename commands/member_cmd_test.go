package commands

import (
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/stretchr/testify/require"
)

// Parsing and validation of the member verbs, in-process and without a cluster. The peer URLs
// themselves are checked later, after the printer is chosen (as upstream).
func TestNewCmdMemberList(t *testing.T) {
	runSeamCases(t, newCmdMemberList, []seamCase[MemberListOptions]{
		{name: "default linearizable", want: func(t *testing.T, o *MemberListOptions) {
			require.NotNil(t, o.F)
			require.Equal(t, "l", o.Consistency)
		}},
		{name: "serializable", argv: []string{"--consistency=s"}, want: func(t *testing.T, o *MemberListOptions) {
			require.Equal(t, "s", o.Consistency)
		}},
		// Upstream names the default value, whatever was given.
		{name: "bad consistency", argv: []string{"--consistency=x"}, errKind: &cmdutil.BadFeatureError{}, errMsg: `unknown consistency flag "l"`},
	})
}

func TestNewCmdMemberAdd(t *testing.T) {
	bad := &cmdutil.BadArgsError{}
	runSeamCases(t, newCmdMemberAdd, []seamCase[MemberAddOptions]{
		{name: "name and urls", argv: []string{"m4", "--peer-urls=http://a:2380,http://b:2380"}, want: func(t *testing.T, o *MemberAddOptions) {
			require.NotNil(t, o.F)
			require.Equal(t, "m4", o.Name)
			require.Equal(t, "http://a:2380,http://b:2380", o.PeerURLs)
			require.False(t, o.Learner)
		}},
		{name: "learner", argv: []string{"--learner", "m4", "--peer-urls=http://a:2380"}, want: func(t *testing.T, o *MemberAddOptions) {
			require.True(t, o.Learner)
		}},
		{name: "malformed urls are checked later", argv: []string{"m4", "--peer-urls=::bad"}, want: func(t *testing.T, o *MemberAddOptions) {
			require.Equal(t, "::bad", o.PeerURLs)
		}},
		{name: "no name", argv: []string{"--peer-urls=http://a:2380"}, errKind: bad, errMsg: "member name not provided"},
		{name: "two names", argv: []string{"a", "b"}, errKind: bad, errMsg: "too many arguments"},
		{name: "no urls", argv: []string{"a"}, errKind: bad, errMsg: "member peer urls not provided"},
	})
}

func TestNewCmdMemberRemove(t *testing.T) {
	bad := &cmdutil.BadArgsError{}
	runSeamCases(t, newCmdMemberRemove, []seamCase[MemberRemoveOptions]{
		{name: "hex id", argv: []string{"8e9e05c52164694d"}, want: func(t *testing.T, o *MemberRemoveOptions) {
			require.NotNil(t, o.F)
			require.Equal(t, uint64(0x8e9e05c52164694d), o.ID)
		}},
		{name: "no id", errKind: bad, errMsg: "member ID is not provided"},
		{name: "two ids", argv: []string{"1", "2"}, errKind: bad, errMsg: "member ID is not provided"},
		{name: "bad hex", argv: []string{"zz"}, errKind: bad,
			errMsg: `bad member ID arg (strconv.ParseUint: parsing "zz": invalid syntax), expecting ID in Hex`},
	})
}

func TestNewCmdMemberUpdate(t *testing.T) {
	bad := &cmdutil.BadArgsError{}
	runSeamCases(t, newCmdMemberUpdate, []seamCase[MemberUpdateOptions]{
		{name: "id and urls", argv: []string{"ff", "--peer-urls=http://a:2380"}, want: func(t *testing.T, o *MemberUpdateOptions) {
			require.NotNil(t, o.F)
			require.Equal(t, uint64(0xff), o.ID)
			require.Equal(t, "http://a:2380", o.PeerURLs)
		}},
		{name: "no id", argv: []string{"--peer-urls=http://a:2380"}, errKind: bad, errMsg: "member ID is not provided"},
		{name: "bad hex before urls", argv: []string{"zz"}, errKind: bad,
			errMsg: `bad member ID arg (strconv.ParseUint: parsing "zz": invalid syntax), expecting ID in Hex`},
		{name: "no urls", argv: []string{"1"}, errKind: bad, errMsg: "member peer urls not provided"},
	})
}

func TestNewCmdMemberPromote(t *testing.T) {
	bad := &cmdutil.BadArgsError{}
	runSeamCases(t, newCmdMemberPromote, []seamCase[MemberPromoteOptions]{
		{name: "hex id", argv: []string{"A"}, want: func(t *testing.T, o *MemberPromoteOptions) {
			require.NotNil(t, o.F)
			require.Equal(t, uint64(10), o.ID)
		}},
		{name: "no id", errKind: bad, errMsg: "member ID is not provided"},
		{name: "bad hex", argv: []string{"zz"}, errKind: bad,
			errMsg: `bad member ID arg (strconv.ParseUint: parsing "zz": invalid syntax), expecting ID in Hex`},
	})
}
