package commands

import (
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// Parsing and validation of auth, user and role verbs, in-process and without a cluster.
// Passwords that are still to be read (prompt or stdin) are read later, in runX.

func TestNewCmdAuth(t *testing.T) {
	bad := &cmdutil.BadArgsError{}
	for name, newCmd := range map[string]func(*cmdutil.Factory, func(*AuthOptions) error) *cobra.Command{
		"enable": newCmdAuthEnable, "disable": newCmdAuthDisable, "status": newCmdAuthStatus,
	} {
		t.Run(name, func(t *testing.T) {
			runSeamCases(t, newCmd, []seamCase[AuthOptions]{
				{name: "no args", want: func(t *testing.T, o *AuthOptions) { require.NotNil(t, o.F) }},
				{name: "an argument", argv: []string{"x"}, errKind: bad, errMsg: "auth " + name + " command does not accept any arguments"},
			})
		})
	}
}

func TestNewCmdUserAdd(t *testing.T) {
	bad := &cmdutil.BadArgsError{}
	runSeamCases(t, newCmdUserAdd, []seamCase[UserAddOptions]{
		{name: "name only: password read later", argv: []string{"alice"}, want: func(t *testing.T, o *UserAddOptions) {
			require.NotNil(t, o.F)
			require.Equal(t, "alice", o.Name)
			require.Equal(t, "", o.Password)
			require.True(t, o.ReadPassword)
			require.True(t, o.Interactive)
			require.False(t, o.NoPassword)
		}},
		{name: "name:password", argv: []string{"alice:s3:cret"}, want: func(t *testing.T, o *UserAddOptions) {
			require.Equal(t, "alice", o.Name)
			require.Equal(t, "s3:cret", o.Password)
			require.False(t, o.ReadPassword)
		}},
		{name: "new-user-password keeps the whole argument as name", argv: []string{"--new-user-password=pw", "a:b"}, want: func(t *testing.T, o *UserAddOptions) {
			require.Equal(t, "a:b", o.Name)
			require.Equal(t, "pw", o.Password)
			require.False(t, o.ReadPassword)
		}},
		{name: "no-password", argv: []string{"--no-password", "a:b"}, want: func(t *testing.T, o *UserAddOptions) {
			require.Equal(t, "a:b", o.Name)
			require.Equal(t, "", o.Password)
			require.True(t, o.NoPassword)
			require.False(t, o.ReadPassword)
		}},
		{name: "stdin password", argv: []string{"--interactive=false", "alice"}, want: func(t *testing.T, o *UserAddOptions) {
			require.False(t, o.Interactive)
			require.True(t, o.ReadPassword)
		}},
		{name: "no name", errKind: bad, errMsg: "user add command requires user name as its argument"},
		{name: "two names", argv: []string{"a", "b"}, errKind: bad, errMsg: "user add command requires user name as its argument"},
		{name: "empty name", argv: []string{":pw"}, errKind: bad, errMsg: "empty user name is not allowed"},
	})
}

func TestNewCmdUserOneName(t *testing.T) {
	bad := &cmdutil.BadArgsError{}
	runSeamCases(t, newCmdUserDelete, []seamCase[UserNameOptions]{
		{name: "delete", argv: []string{"alice"}, want: func(t *testing.T, o *UserNameOptions) {
			require.NotNil(t, o.F)
			require.Equal(t, "alice", o.Name)
		}},
		{name: "delete no name", errKind: bad, errMsg: "user delete command requires user name as its argument"},
		{name: "delete two names", argv: []string{"a", "b"}, errKind: bad, errMsg: "user delete command requires user name as its argument"},
	})
	runSeamCases(t, newCmdUserGet, []seamCase[UserGetOptions]{
		{name: "get", argv: []string{"alice"}, want: func(t *testing.T, o *UserGetOptions) {
			require.Equal(t, "alice", o.Name)
			require.False(t, o.Detail)
		}},
		{name: "get detail", argv: []string{"--detail", "alice"}, want: func(t *testing.T, o *UserGetOptions) { require.True(t, o.Detail) }},
		{name: "get no name", errKind: bad, errMsg: "user get command requires user name as its argument"},
	})
	runSeamCases(t, newCmdUserPasswd, []seamCase[UserPasswdOptions]{
		{name: "passwd", argv: []string{"alice"}, want: func(t *testing.T, o *UserPasswdOptions) {
			require.Equal(t, "alice", o.Name)
			require.True(t, o.Interactive)
		}},
		{name: "passwd from stdin", argv: []string{"--interactive=false", "alice"}, want: func(t *testing.T, o *UserPasswdOptions) {
			require.False(t, o.Interactive)
		}},
		{name: "passwd no name", errKind: bad, errMsg: "user passwd command requires user name as its argument"},
	})
	runSeamCases(t, newCmdUserList, []seamCase[UserListOptions]{
		{name: "list", want: func(t *testing.T, o *UserListOptions) { require.NotNil(t, o.F) }},
		{name: "list with an argument", argv: []string{"x"}, errKind: bad, errMsg: "user list command requires no arguments"},
	})
}

func TestNewCmdUserRoles(t *testing.T) {
	bad := &cmdutil.BadArgsError{}
	want := func(t *testing.T, o *UserRoleOptions) {
		require.NotNil(t, o.F)
		require.Equal(t, "alice", o.User)
		require.Equal(t, "admin", o.Role)
	}
	runSeamCases(t, newCmdUserGrantRole, []seamCase[UserRoleOptions]{
		{name: "grant", argv: []string{"alice", "admin"}, want: want},
		{name: "grant one arg", argv: []string{"alice"}, errKind: bad, errMsg: "user grant command requires user name and role name as its argument"},
		{name: "grant three args", argv: []string{"a", "b", "c"}, errKind: bad, errMsg: "user grant command requires user name and role name as its argument"},
	})
	runSeamCases(t, newCmdUserRevokeRole, []seamCase[UserRoleOptions]{
		{name: "revoke", argv: []string{"alice", "admin"}, want: want},
		{name: "revoke one arg", argv: []string{"alice"}, errKind: bad, errMsg: "user revoke-role requires user name and role name as its argument"},
	})
}

func TestNewCmdRoleOneName(t *testing.T) {
	bad := &cmdutil.BadArgsError{}
	for verb, newCmd := range map[string]func(*cmdutil.Factory, func(*RoleNameOptions) error) *cobra.Command{
		"add": newCmdRoleAdd, "delete": newCmdRoleDelete, "get": newCmdRoleGet,
	} {
		msg := "role " + verb + " command requires role name as its argument"
		t.Run(verb, func(t *testing.T) {
			runSeamCases(t, newCmd, []seamCase[RoleNameOptions]{
				{name: "name", argv: []string{"admin"}, want: func(t *testing.T, o *RoleNameOptions) {
					require.NotNil(t, o.F)
					require.Equal(t, "admin", o.Name)
				}},
				{name: "no name", errKind: bad, errMsg: msg},
				{name: "two names", argv: []string{"a", "b"}, errKind: bad, errMsg: msg},
			})
		})
	}
	runSeamCases(t, newCmdRoleList, []seamCase[RoleListOptions]{
		{name: "list", want: func(t *testing.T, o *RoleListOptions) { require.NotNil(t, o.F) }},
		{name: "list with an argument", argv: []string{"x"}, errKind: bad, errMsg: "role list command requires no arguments"},
	})
}

func TestNewCmdRoleGrantPermission(t *testing.T) {
	bad := &cmdutil.BadArgsError{}
	runSeamCases(t, newCmdRoleGrantPermission, []seamCase[RoleGrantPermissionOptions]{
		{name: "one key", argv: []string{"admin", "read", "k"}, want: func(t *testing.T, o *RoleGrantPermissionOptions) {
			require.NotNil(t, o.F)
			require.Equal(t, "admin", o.Role)
			require.Equal(t, clientv3.PermissionType(clientv3.PermRead), o.PermType)
			require.Equal(t, "k", o.Key)
			require.Equal(t, "", o.End)
		}},
		{name: "range, mixed-case type", argv: []string{"admin", "ReadWrite", "a", "b"}, want: func(t *testing.T, o *RoleGrantPermissionOptions) {
			require.Equal(t, clientv3.PermissionType(clientv3.PermReadWrite), o.PermType)
			require.Equal(t, "b", o.End)
		}},
		{name: "prefix", argv: []string{"--prefix", "admin", "write", "a"}, want: func(t *testing.T, o *RoleGrantPermissionOptions) {
			require.Equal(t, clientv3.PermissionType(clientv3.PermWrite), o.PermType)
			require.True(t, o.Prefix)
			require.Equal(t, "b", o.End)
		}},
		{name: "from-key", argv: []string{"--from-key", "admin", "read", "a"}, want: func(t *testing.T, o *RoleGrantPermissionOptions) {
			require.Equal(t, "\x00", o.End)
		}},
		{name: "empty key drops the endkey", argv: []string{"--prefix", "admin", "read", "", "z"}, want: func(t *testing.T, o *RoleGrantPermissionOptions) {
			require.Equal(t, "", o.Key)
			require.Equal(t, "\x00", o.End)
		}},
		{name: "too few args", argv: []string{"a", "read"}, errKind: bad,
			errMsg: "role grant command requires role name, permission type, and key [endkey] as its argument"},
		{name: "bad type", argv: []string{"a", "bogus", "k"}, errKind: bad, errMsg: "invalid permission type: bogus"},
		{name: "bad type before range flags", argv: []string{"--prefix", "--from-key", "a", "bogus", "k"}, errKind: bad, errMsg: "invalid permission type: bogus"},
		{name: "endkey with prefix", argv: []string{"--prefix", "a", "read", "k", "e"}, errKind: bad, errMsg: "unexpected endkey argument with --prefix flag"},
		{name: "endkey with from-key", argv: []string{"--from-key", "a", "read", "k", "e"}, errKind: bad, errMsg: "unexpected endkey argument with --from-key flag"},
		{name: "endkey with both", argv: []string{"--prefix", "--from-key", "a", "read", "k", "e"}, errKind: bad, errMsg: "unexpected endkey argument with --prefix flag"},
		{name: "prefix and from-key", argv: []string{"--prefix", "--from-key", "a", "read", "k"}, errKind: bad, errMsg: "--from-key and --prefix flags are mutually exclusive"},
	})
}

func TestNewCmdRoleRevokePermission(t *testing.T) {
	bad := &cmdutil.BadArgsError{}
	runSeamCases(t, newCmdRoleRevokePermission, []seamCase[RoleRevokePermissionOptions]{
		{name: "one key", argv: []string{"admin", "k"}, want: func(t *testing.T, o *RoleRevokePermissionOptions) {
			require.NotNil(t, o.F)
			require.Equal(t, "admin", o.Role)
			require.Equal(t, "k", o.Key)
			require.Equal(t, "", o.End)
		}},
		{name: "range", argv: []string{"admin", "a", "c"}, want: func(t *testing.T, o *RoleRevokePermissionOptions) {
			require.Equal(t, "c", o.End)
		}},
		{name: "prefix", argv: []string{"--prefix", "admin", "a"}, want: func(t *testing.T, o *RoleRevokePermissionOptions) {
			require.Equal(t, "b", o.End)
		}},
		{name: "too few args", argv: []string{"a"}, errKind: bad,
			errMsg: "role revoke-permission command requires role name and key [endkey] as its argument"},
		{name: "endkey with prefix", argv: []string{"--prefix", "a", "k", "e"}, errKind: bad, errMsg: "unexpected endkey argument with --prefix flag"},
		{name: "prefix and from-key", argv: []string{"--prefix", "--from-key", "a", "k"}, errKind: bad, errMsg: "--from-key and --prefix flags are mutually exclusive"},
	})
}
