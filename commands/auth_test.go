package commands_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
)

// authSite is a cluster under test with an administrator client (root:rootpw) for set-up, and the
// arguments and environment that reach it.
type authSite struct {
	c    *localcluster.Cluster
	cli  *clientv3.Client
	env  []string // ETCDCTL_ENDPOINTS and friends
	args []string // global flags every run needs (TLS files...)

	// The auth revision right after the last fixture (every change of users, roles or the auth
	// switch raises it): when it has not moved, the fixture is still in place.
	fixed    bool
	fixedRev uint64
	fixedOn  bool
}

// authStart starts a cluster and connects an administrator client to it. cfg, when not nil,
// adjusts the client (TLS).
func authStart(t *testing.T, opts localcluster.Options, cfg func(*clientv3.Config)) *authSite {
	t.Helper()
	configure := opts.Configure
	opts.Configure = func(i int, cfg *embed.Config) {
		cfg.BcryptCost = 4 // the fixture adds users again and again; the default cost makes that slow
		if configure != nil {
			configure(i, cfg)
		}
	}
	var c *localcluster.Cluster
	if opts.ClientScheme == "https" {
		// StartT's health check has no TLS settings; Start already waits for the members.
		var err error
		localcluster.SkipIfShort(t)
		c, err = localcluster.Start(opts)
		require.NoError(t, err)
		t.Cleanup(c.Close)
	} else {
		c = localcluster.StartT(t, opts)
	}
	cc := clientv3.Config{Endpoints: c.Endpoints(), DialTimeout: 5 * time.Second, Logger: zap.NewNop(),
		Username: "root", Password: "rootpw"}
	if cfg != nil {
		cfg(&cc)
	}
	cli, err := clientv3.New(cc)
	require.NoError(t, err)
	t.Cleanup(func() { cli.Close() })
	return &authSite{c: c, cli: cli, env: []string{"ETCDCTL_ENDPOINTS=" + strings.Join(c.Endpoints(), ",")}}
}

// authFixture resets the site's users and roles to a known state and enables authentication when
// enable is set:
//
//	roles  root; reader: read foo, read prefix pre; writer: write [a, b), readwrite from z; empty
//	users  root:rootpw [root]; alice:alicepw [reader]; bob:bobpw [reader writer]; carol (no password)
func authFixture(t testing.TB, s *authSite, enable bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cli := s.cli
	must := func(_ any, err error) {
		t.Helper()
		require.NoError(t, err)
	}
	st, err := cli.AuthStatus(ctx)
	require.NoError(t, err)
	if s.fixed && st.AuthRevision == s.fixedRev && st.Enabled == enable && s.fixedOn == enable {
		return
	}
	if st.Enabled {
		must(cli.AuthDisable(ctx))
	}
	users, err := cli.UserList(ctx)
	require.NoError(t, err)
	for _, u := range users.Users {
		must(cli.UserDelete(ctx, u))
	}
	roles, err := cli.RoleList(ctx)
	require.NoError(t, err)
	for _, r := range roles.Roles {
		must(cli.RoleDelete(ctx, r))
	}
	for _, r := range []string{"root", "reader", "writer", "empty"} {
		must(cli.RoleAdd(ctx, r))
	}
	must(cli.RoleGrantPermission(ctx, "reader", "foo", "", clientv3.PermissionType(clientv3.PermRead)))
	must(cli.RoleGrantPermission(ctx, "reader", "pre", clientv3.GetPrefixRangeEnd("pre"), clientv3.PermissionType(clientv3.PermRead)))
	must(cli.RoleGrantPermission(ctx, "writer", "a", "b", clientv3.PermissionType(clientv3.PermWrite)))
	must(cli.RoleGrantPermission(ctx, "writer", "z", "\x00", clientv3.PermissionType(clientv3.PermReadWrite)))
	for _, u := range [][2]string{{"root", "rootpw"}, {"alice", "alicepw"}, {"bob", "bobpw"}} {
		must(cli.UserAdd(ctx, u[0], u[1]))
	}
	must(cli.UserAddWithOptions(ctx, "carol", "", &clientv3.UserAddOptions{NoPassword: true}))
	for _, g := range [][2]string{{"root", "root"}, {"alice", "reader"}, {"bob", "reader"}, {"bob", "writer"}} {
		must(cli.UserGrantRole(ctx, g[0], g[1]))
	}
	if enable {
		must(cli.AuthEnable(ctx))
	}
	st, err = cli.AuthStatus(ctx)
	require.NoError(t, err)
	s.fixed, s.fixedRev, s.fixedOn = true, st.AuthRevision, enable
}

// authOpts are the run options for the site plus extra environment.
func (s *authSite) opts(stdin string, env ...string) difftest.Opts {
	return difftest.Opts{Env: append(append([]string{}, s.env...), env...), Stdin: stdin}
}

// compare runs a command that does not change the cluster with both binaries.
func (s *authSite) compare(t *testing.T, args []string, o difftest.Opts) difftest.Pair {
	t.Helper()
	args = append(append([]string{}, s.args...), args...)
	p := difftest.Both(t, args, authEnvFor(args, o))
	authAssertSame(t, args, p)
	return p
}

// authEnvFor drops ETCDCTL_ENDPOINTS from o when args give --endpoints (both would conflict).
func authEnvFor(args []string, o difftest.Opts) difftest.Opts {
	given := false
	for _, a := range args {
		given = given || a == "--endpoints" || strings.HasPrefix(a, "--endpoints=")
	}
	if !given {
		return o
	}
	var env []string
	for _, e := range o.Env {
		if !strings.HasPrefix(e, "ETCDCTL_ENDPOINTS=") {
			env = append(env, e)
		}
	}
	o.Env = env
	return o
}

// authAssertSame compares like difftest.AssertSame, leaving out the "stty: ..." complaints
// upstream's password prompt prints on stderr when stdin is not a terminal (noise, like its logs).
func authAssertSame(t *testing.T, args []string, p difftest.Pair) {
	t.Helper()
	p.Ref.Stderr = authDropStty(p.Ref.Stderr)
	difftest.AssertSame(t, args, p)
}

func authDropStty(b []byte) []byte {
	var out []string
	for _, l := range strings.SplitAfter(string(b), "\n") {
		if !strings.HasPrefix(l, "stty: ") {
			out = append(out, l)
		}
	}
	return []byte(strings.Join(out, ""))
}

// compareMut runs a command that changes the cluster with both binaries, from the same fixture.
func (s *authSite) compareMut(t *testing.T, args []string, o difftest.Opts, enable bool) difftest.Pair {
	t.Helper()
	args = append(append([]string{}, s.args...), args...)
	o = authEnvFor(args, o)
	authFixture(t, s, enable)
	before, base := authKeys(t, s)
	ours := difftest.Run(t, difftest.OurBinary(t), args, o)
	oursState := difftest.StateDump(t, s.cli, difftest.DumpOpts{Base: base})
	authDropNewKeys(t, s, before)
	authFixture(t, s, enable)
	_, base = authKeys(t, s)
	ref := difftest.Run(t, difftest.RefBinary(t), args, o)
	refState := difftest.StateDump(t, s.cli, difftest.DumpOpts{Base: base})
	authDropNewKeys(t, s, before)
	p := difftest.Pair{Ours: ours, Ref: ref}
	authAssertSame(t, args, p)
	// What the command left behind (users, roles and their permission ranges, keys), not only
	// what it printed.
	difftest.AssertSameDump(t, refState, oursState, strings.Join(args, " "))
	return p
}

// authKeys are the keys the site holds, and the store's revision.
func authKeys(t *testing.T, s *authSite) (map[string]bool, int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := s.cli.Get(ctx, "\x00", clientv3.WithFromKey(), clientv3.WithKeysOnly())
	require.NoError(t, err)
	keys := map[string]bool{}
	for _, kv := range resp.Kvs {
		keys[string(kv.Key)] = true
	}
	return keys, resp.Header.Revision
}

// authDropNewKeys deletes the keys a command made, so that the other binary's run starts from the
// same key space (a command that changes an existing key shows up as a version that differs).
func authDropNewKeys(t *testing.T, s *authSite, before map[string]bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	keys, _ := authKeys(t, s)
	for k := range keys {
		if !before[k] {
			_, err := s.cli.Delete(ctx, k)
			require.NoError(t, err)
		}
	}
}

// authFormats are the -w values every verb is compared in.
var authFormats = []string{"simple", "json", "fields", "protobuf", "table"}

// authFormatsFor is every format for one case in three, and simple otherwise (the formats of the
// header-only answers share their code, so sampling them keeps the suite fast).
func authFormatsFor(i int) []string {
	if i%3 == 0 {
		return authFormats
	}
	return []string{"simple", "json"}
}

func authName(args []string) string { return strings.Join(args, "_") }

// Help pages of the whole auth/user/role family are upstream's, byte for byte.
func TestAuthHelp(t *testing.T) {
	for _, c := range []string{"auth", "auth enable", "auth disable", "auth status", "user", "user add",
		"user delete", "user get", "user list", "user passwd", "user grant-role", "user revoke-role", "role",
		"role add", "role delete", "role get", "role list", "role grant-permission", "role revoke-permission"} {
		for _, h := range []string{"--help", "-h"} {
			args := append(strings.Fields(c), h)
			t.Run(authName(args), func(t *testing.T) { difftest.Compare(t, args, difftest.Opts{}) })
		}
	}
	t.Run("help_user", func(t *testing.T) { difftest.Compare(t, []string{"help", "user", "add"}, difftest.Opts{}) })
}

// Wrong argument counts and flag combinations fail before any connection, as upstream.
func TestAuthBadArgs(t *testing.T) {
	ep := "127.0.0.1:" + freeClosedPort(t)
	cases := [][]string{
		{"auth", "enable", "x"}, {"auth", "disable", "x"}, {"auth", "status", "x"},
		{"user", "add"}, {"user", "add", "a", "b"}, {"user", "add", ":pw"}, {"user", "add", ":"},
		{"user", "delete"}, {"user", "get"}, {"user", "get", "a", "b"}, {"user", "list", "x"},
		{"user", "passwd"}, {"user", "passwd", "a", "b"}, {"user", "grant-role", "a"},
		{"user", "revoke-role", "a", "b", "c"}, {"role", "add"}, {"role", "add", "a", "b"},
		{"role", "delete"}, {"role", "get"}, {"role", "list", "x"}, {"role", "grant-permission", "r"},
		{"role", "grant-permission", "r", "read"}, {"role", "grant-permission", "r", "bogus", "k"},
		{"role", "grant-permission", "r", "read", "k", "e", "--prefix"},
		{"role", "grant-permission", "r", "read", "k", "", "--from-key"},
		{"role", "grant-permission", "r", "read", "k", "--prefix", "--from-key"},
		{"role", "grant-permission", "r", "bogus", "--prefix", "--from-key"},
		{"role", "revoke-permission", "r"}, {"role", "revoke-permission", "r", "k", "e", "--from-key"},
		{"role", "revoke-permission", "r", "k", "--from-key", "--prefix"},
		{"-w", "bogus", "role", "add"}, {"user", "add", "u", "--bogus"},
		{"user", "add", "u"}, // interactive, empty stdin: empty password
		{"user", "passwd", "u", "--interactive", "--bogus"},  // flag error
		{"user", "passwd", "u", "--interactive=false", "-w"}, // flag needs an argument
	}
	for _, args := range cases {
		t.Run(authName(args), func(t *testing.T) {
			args = append([]string{"--endpoints", ep}, args...)
			authAssertSame(t, args, difftest.Both(t, args, difftest.Opts{}))
		})
	}
	t.Run("passwords_differ", func(t *testing.T) {
		args := []string{"--endpoints", ep, "user", "passwd", "u"}
		authAssertSame(t, args, difftest.Both(t, args, difftest.Opts{Stdin: "one\ntwo\n"}))
	})
}

// auth enable/disable/status, users and roles on a cluster without authentication, in every
// output format.
func TestAuthDifferential(t *testing.T) {
	s := authStart(t, localcluster.Options{}, nil)
	authFixture(t, s, false)
	o := s.opts("")

	t.Run("read", func(t *testing.T) {
		reads := [][]string{{"auth", "status"}, {"user", "list"}, {"role", "list"}, {"user", "get", "alice"},
			{"user", "get", "bob", "--detail"}, {"user", "get", "carol", "--detail"}, {"user", "get", "nope"},
			{"role", "get", "reader"}, {"role", "get", "writer"}, {"role", "get", "empty"}, {"role", "get", "nope"}}
		for _, r := range reads {
			for _, w := range authFormats {
				for _, hex := range []bool{false, true} {
					args := append([]string{"-w", w}, r...)
					if hex {
						args = append([]string{"--hex"}, args...)
					}
					t.Run(authName(args), func(t *testing.T) { s.compare(t, args, o) })
				}
			}
		}
	})

	t.Run("auth_enable_disable", func(t *testing.T) {
		for _, w := range authFormats {
			s.compareMut(t, []string{"-w", w, "auth", "enable"}, o, false)
			s.compareMut(t, []string{"-w", w, "--user", "root:rootpw", "auth", "disable"}, o, true)
		}
		s.compareMut(t, []string{"auth", "disable"}, o, false)
		s.compareMut(t, []string{"--user", "root:rootpw", "auth", "enable"}, o, true)
		// Without a root user, enabling fails.
		authFixture(t, s, false)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := s.cli.UserDelete(ctx, "root")
		cancel()
		require.NoError(t, err)
		s.compare(t, []string{"auth", "enable"}, o)
	})
}

// The auth verbs on a cluster that requires authentication: credentials in all their forms, and
// permissions of users through get/put/del.
func TestAuthEnabledDifferential(t *testing.T) {
	s := authStart(t, localcluster.Options{}, nil)
	authFixture(t, s, true)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := s.cli.Put(ctx, "foo", "bar")
	require.NoError(t, err)
	_, err = s.cli.Put(ctx, "pre1", "v")
	require.NoError(t, err)

	cases := []struct {
		args  []string
		stdin string
		env   []string
	}{
		{args: []string{"user", "list"}},
		{args: []string{"auth", "status"}},
		{args: []string{"--user", "root:rootpw", "user", "list"}},
		{args: []string{"--user", "root:rootpw", "-w", "json", "auth", "status"}},
		{args: []string{"--user", "root:wrong", "user", "list"}},
		{args: []string{"--user", "root:wrong", "auth", "status"}},
		{args: []string{"--user", "ghost:x", "user", "list"}},
		{args: []string{"--user", "carol:x", "user", "list"}},
		{args: []string{"--user", "alice:alicepw", "user", "list"}},
		{args: []string{"--user", "alice:alicepw", "auth", "disable"}},
		{args: []string{"--user", "alice:alicepw", "user", "get", "alice"}},
		{args: []string{"--user", "alice:alicepw", "role", "get", "reader"}},
		{args: []string{"--user", "alice:alicepw", "role", "get", "writer"}},
		{args: []string{"--user", "alice:alicepw", "user", "get", "alice", "--detail"}},
		{args: []string{"--user", "bob:bobpw", "-w", "json", "user", "get", "bob", "--detail"}},
		{args: []string{"--user", "bob:bobpw", "user", "get", "alice"}},
		{args: []string{"--user", "alice:alicepw", "role", "list"}},
		{args: []string{"-w", "bogus", "--user", "root:rootpw", "user", "list"}},
		{args: []string{"--user", "root", "--password", "rootpw", "user", "list"}},
		{args: []string{"--user", "root:rootpw", "--password", "rootpw", "user", "list"}},
		{args: []string{"--password", "rootpw", "user", "list"}},
		{args: []string{"--user", ":rootpw", "user", "list"}},
		{args: []string{"--user", "root:", "user", "list"}},
		{args: []string{"--user", "", "--password", "x", "user", "list"}},
		{args: []string{"--user", "root:rootpw:x", "user", "list"}},
		{args: []string{"--user", "root", "user", "list"}, stdin: "rootpw\n"},
		{args: []string{"--user", "root", "user", "list"}, stdin: "  rootpw \r\n"},
		{args: []string{"--user", "root", "user", "list"}, stdin: "rootpw"},
		{args: []string{"--user", "root", "user", "list"}},
		{args: []string{"--user", "root", "--password", "", "user", "list"}, stdin: "rootpw\n"},
		{args: []string{"--user", "root", "user", "list"}, stdin: "wrong\n"},
		{args: []string{"--auth-jwt-token", "garbage", "user", "list"}},
		{args: []string{"--auth-jwt-token", "garbage", "--user", "root:rootpw", "user", "list"}},
		{args: []string{"--auth-jwt-token", "garbage", "--user", "root", "user", "list"}},
		{args: []string{"user", "list"}, env: []string{"ETCDCTL_USER=root:rootpw"}},
		{args: []string{"user", "list"}, env: []string{"ETCDCTL_USER=root", "ETCDCTL_PASSWORD=rootpw"}},
		{args: []string{"user", "list"}, env: []string{"ETCDCTL_USER=root:rootpw", "ETCDCTL_PASSWORD=rootpw"}},
		{args: []string{"user", "list"}, env: []string{"ETCDCTL_USER=root", "ETCDCTL_AUTH_JWT_TOKEN=x"}},
		{args: []string{"user", "list", "--user", "root"}, env: []string{"ETCDCTL_PASSWORD=rootpw"}},
		// Permissions: alice reads foo and pre*, bob also writes [a, b) and reads/writes z...
		{args: []string{"--user", "alice:alicepw", "get", "foo"}},
		{args: []string{"--user", "alice:alicepw", "get", "pre", "--prefix"}},
		{args: []string{"--user", "alice:alicepw", "get", "fo", "--prefix"}},
		{args: []string{"--user", "alice:alicepw", "get", "other"}},
		{args: []string{"--user", "alice:alicepw", "put", "foo", "x"}},
		{args: []string{"--user", "alice:alicepw", "del", "foo"}},
		{args: []string{"--user", "bob:bobpw", "get", "a1"}},
		{args: []string{"--user", "bob:bobpw", "get", "z", "--from-key"}},
		{args: []string{"--user", "carol:", "get", "foo"}},
	}
	for _, c := range cases {
		t.Run(authName(c.args)+"_"+strings.Join(c.env, "_"), func(t *testing.T) {
			s.compare(t, c.args, s.opts(c.stdin, c.env...))
		})
	}

	t.Run("writes", func(t *testing.T) {
		o := s.opts("")
		s.compareMut(t, []string{"--user", "bob:bobpw", "put", "a1", "v"}, o, true)
		s.compareMut(t, []string{"--user", "bob:bobpw", "put", "z9", "v"}, o, true)
		s.compareMut(t, []string{"--user", "bob:bobpw", "put", "b", "v"}, o, true)
		s.compareMut(t, []string{"--user", "root:rootpw", "user", "add", "dave:pw"}, o, true)
		s.compareMut(t, []string{"--user", "root:rootpw", "-w", "json", "role", "grant-permission", "empty", "read", "k"}, o, true)
	})

	t.Run("revoked_role", func(t *testing.T) {
		// bob writes a1 through the writer role; once the role is revoked (or its permission
		// taken away, or the role deleted) the same write is denied.
		revoke := []func(ctx context.Context, cli *clientv3.Client) error{
			func(ctx context.Context, cli *clientv3.Client) error {
				_, err := cli.UserRevokeRole(ctx, "bob", "writer")
				return err
			},
			func(ctx context.Context, cli *clientv3.Client) error {
				_, err := cli.RoleRevokePermission(ctx, "writer", "a", "b")
				return err
			},
			func(ctx context.Context, cli *clientv3.Client) error {
				_, err := cli.RoleDelete(ctx, "writer")
				return err
			},
		}
		args := []string{"--user", "bob:bobpw", "put", "a1", "v"}
		for _, rv := range revoke {
			var res []difftest.Result
			for _, bin := range []string{difftest.OurBinary(t), difftest.RefBinary(t)} {
				authFixture(t, s, true)
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				require.NoError(t, rv(ctx, s.cli))
				cancel()
				res = append(res, difftest.Run(t, bin, args, s.opts("")))
			}
			p := difftest.Pair{Ours: res[0], Ref: res[1]}
			authAssertSame(t, args, p)
			assert.Equal(t, "Error: etcdserver: permission denied", p.Ours.FirstErrLine())
		}
	})
}
