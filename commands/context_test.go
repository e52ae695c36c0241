package commands_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/etcdctl-rewritten/etcdctl/internal/testcerts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Named contexts against a cluster that speaks TLS only and has authentication on: the context
// carries the CA, the user and the password file; flags and variables still win over it.
func TestContextTLSAndAuth(t *testing.T) {
	certs := testcerts.New(t)
	s := tlsStart(t, certs, false, nil)
	authFixture(t, s, true)
	_, err := s.cli.Put(context.Background(), "foo", "bar")
	require.NoError(t, err)

	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "etcdctl", "config.yaml")
	alicePW, rootPW := filepath.Join(dir, "alice.pw"), filepath.Join(dir, "root.pw")
	require.NoError(t, os.WriteFile(alicePW, []byte("alicepw\n"), 0o600))
	require.NoError(t, os.WriteFile(rootPW, []byte("rootpw"), 0o600))
	ep := s.c.Endpoints()[0]
	dead := "127.0.0.1:" + freeClosedPort(t)

	ours := difftest.OurBinary(t)
	run := func(env []string, args ...string) difftest.Result {
		t.Helper()
		return difftest.Run(t, ours, args, difftest.Opts{Env: append([]string{"ETCDCTL_CONFIG=" + cfgPath}, env...)})
	}
	ok := func(r difftest.Result) string {
		t.Helper()
		require.Equal(t, 0, r.Code, "stderr: %s", r.Stderr)
		return string(r.Stdout)
	}

	// Set-up through the verb, as a user would.
	assert.Equal(t, "Context \"prod\" created.\n", ok(run(nil, "config", "set-context", "prod", "--endpoints="+ep,
		"--cacert="+certs.CAFile, "--user=alice", "--password-file="+alicePW)))
	assert.Equal(t, "Context \"admin\" created.\n", ok(run(nil, "config", "set-context", "admin", "--endpoints="+ep,
		"--insecure-skip-tls-verify", "--user=root", "--password-file="+rootPW)))
	assert.Equal(t, "Context \"prod\" modified.\n", ok(run(nil, "config", "set-context", "prod", "--dial-timeout=3s")))
	assert.Equal(t, "Switched to context \"prod\".\n", ok(run(nil, "config", "use-context", "prod")))
	assert.Equal(t, "prod\n", ok(run(nil, "config", "current-context")))
	st, err := os.Stat(cfgPath)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())

	// context > default: TLS, user and password all come from the current context.
	assert.Equal(t, "foo\nbar\n", ok(run(nil, "get", "foo")))
	r := run(nil, "user", "list")
	assert.Equal(t, 1, r.Code)
	assert.Equal(t, "Error: etcdserver: permission denied", r.FirstErrLine(), "alice is no administrator")

	// du streams over the same credentials: alice may read under "pre" only.
	_, err = s.cli.Put(context.Background(), "pre/x", "1")
	require.NoError(t, err)
	assert.Contains(t, ok(run(nil, "du", "pre")), "1\t100.0%\tpre/x\n")
	r = run(nil, "du")
	assert.Equal(t, 1, r.Code)
	assert.Equal(t, "Error: etcdserver: permission denied", r.FirstErrLine())

	// --context and ETCDCTL_CONTEXT choose another context.
	assert.Contains(t, ok(run(nil, "--context", "admin", "user", "list")), "alice\n")
	assert.Contains(t, ok(run([]string{"ETCDCTL_CONTEXT=admin"}, "user", "list")), "alice\n")

	// flag > context and ETCDCTL_* > context (endpoints): the dead endpoint is the one dialled
	// (with the context's user: a client that could not log in, exit 2, as upstream with --user).
	r = run(nil, "--endpoints="+dead, "get", "foo")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.FirstErrLine(), dead)
	r = run([]string{"ETCDCTL_ENDPOINTS=" + dead}, "get", "foo")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.FirstErrLine(), dead)
	// flag > env: both given is upstream's fatal conflict, context or not.
	r = run([]string{"ETCDCTL_ENDPOINTS=" + dead}, "--endpoints="+ep, "get", "foo")
	assert.Equal(t, 1, r.Code)
	assert.Contains(t, r.FirstErrLine(), `conflicting environment variable "ETCDCTL_ENDPOINTS"`)

	// Credentials given as a flag or variable replace the context's user and password file.
	assert.Contains(t, ok(run(nil, "--user", "root:rootpw", "user", "list")), "alice\n")
	assert.Contains(t, ok(run([]string{"ETCDCTL_USER=root", "ETCDCTL_PASSWORD=rootpw"}, "user", "list")), "alice\n")
	r = run([]string{"ETCDCTL_USER=alice:wrong"}, "get", "foo")
	assert.NotEqual(t, 0, r.Code)
	assert.Contains(t, r.FirstErrLine(), "authentication failed")

	// A context's command-timeout applies; the flag beats it.
	ok(run(nil, "config", "set-context", "prod", "--command-timeout=1ns"))
	r = run(nil, "get", "foo")
	assert.Equal(t, 1, r.Code)
	assert.Equal(t, "Error: context deadline exceeded", r.FirstErrLine())
	assert.Equal(t, "foo\nbar\n", ok(run(nil, "--command-timeout=5s", "get", "foo")))
	ok(run(nil, "config", "set-context", "prod", "--command-timeout="))

	// Listing and viewing never show a secret.
	view := ok(run(nil, "config", "view"))
	assert.Contains(t, view, "password-file: "+alicePW)
	assert.NotContains(t, view, "alicepw\n")
	assert.NotContains(t, view, "rootpw\n")
	assert.NotContains(t, view, "command-timeout", "an empty value removed the setting")
	lines := strings.Split(ok(run(nil, "config", "get-contexts")), "\n")
	require.GreaterOrEqual(t, len(lines), 3)
	assert.Regexp(t, `^CURRENT +NAME +ENDPOINTS +USER +TLS$`, lines[0])
	assert.Regexp(t, `^\* +prod +https://127\.0\.0\.1:\d+ +alice +yes$`, lines[1])
	assert.Regexp(t, `^ +admin +https://127\.0\.0\.1:\d+ +root +yes \(unverified\)$`, lines[2])
	assert.Contains(t, ok(run(nil, "-w", "json", "config", "get-contexts")), `"current-context":"prod"`)
	assert.Contains(t, ok(run(nil, "-w", "table", "config", "get-contexts")), "│ CURRENT │")
	r = run(nil, "-w", "fields", "config", "get-contexts")
	assert.Equal(t, 4, r.Code)

	// Secrets inline are refused, by the verb and in the file.
	r = run(nil, "config", "set-context", "prod", "--password=alicepw")
	assert.Equal(t, 128, r.Code)
	r = run(nil, "config", "set-context", "prod", "--user=alice:alicepw")
	assert.Equal(t, 128, r.Code)

	// Completion knows the context names.
	comp := ok(run(nil, "__complete", "--context", ""))
	assert.Contains(t, comp, "prod\n")
	assert.Contains(t, comp, "admin\n")
	comp = ok(run(nil, "__complete", "config", "use-context", "ad"))
	assert.Contains(t, comp, "admin\n")
	assert.NotContains(t, comp, "prod\n")

	// delete-context of the current one unsets current-context.
	assert.Contains(t, ok(run(nil, "config", "delete-context", "prod")), `Deleted context "prod"`)
	r = run(nil, "config", "current-context")
	assert.Equal(t, 1, r.Code)
	r = run(nil, "config", "use-context", "prod")
	assert.Equal(t, 1, r.Code)
	assert.Contains(t, r.FirstErrLine(), `no context exists with the name "prod"`)

	// A malformed file: exit 1, naming the file and the line; secrets in the file likewise.
	require.NoError(t, os.WriteFile(cfgPath, []byte("contexts:\n- name: a\n  endpoints: [\n"), 0o600))
	r = run(nil, "get", "foo")
	assert.Equal(t, 1, r.Code)
	assert.Equal(t, "Error: "+cfgPath+":3: yaml: did not find expected node content", r.FirstErrLine())
	require.NoError(t, os.WriteFile(cfgPath, []byte("contexts:\n- name: a\n  user: root\n  password: rootpw\n"), 0o600))
	r = run(nil, "get", "foo")
	assert.Equal(t, 1, r.Code)
	assert.Contains(t, r.FirstErrLine(), cfgPath+`:4: "password" would hold a secret`)
	assert.Empty(t, r.Stdout)
	// version and help never read the file.
	assert.Equal(t, 0, run(nil, "version").Code)
	assert.Equal(t, 0, run(nil, "--help").Code)
}

// Without a config file (or with one but no context chosen) a command is upstream's, byte for byte.
func TestContextAbsentIsUpstream(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	_, err = cli.Put(context.Background(), "k", "v")
	require.NoError(t, err)
	dir := t.TempDir()
	noCtx := filepath.Join(dir, "no-current.yaml")
	require.NoError(t, os.WriteFile(noCtx, []byte("contexts:\n- name: other\n  endpoints: [127.0.0.1:1]\n"), 0o600))
	for _, cfg := range []string{filepath.Join(dir, "missing.yaml"), noCtx} {
		for _, args := range [][]string{{"get", "k"}, {"-w", "json", "get", "k"}, {"endpoint", "health"}} {
			t.Run(filepath.Base(cfg)+" "+strings.Join(args, " "), func(t *testing.T) {
				p := difftest.Both(t, append([]string{"--endpoints=" + c.Hosts()[0]}, args...), difftest.Opts{Env: []string{"ETCDCTL_CONFIG=" + cfg}})
				assert.Equal(t, p.Ref.Code, p.Ours.Code)
				if args[0] == "endpoint" {
					return // timings differ
				}
				assert.Equal(t, string(p.Ref.Stdout), string(p.Ours.Stdout))
			})
		}
	}
}

// config is ours: hidden from the root help, documented in its own.
func TestContextHelp(t *testing.T) {
	ours := difftest.OurBinary(t)
	r := difftest.Run(t, ours, []string{"--help"}, difftest.Opts{})
	assert.NotContains(t, string(r.Stdout), "config")
	r = difftest.Run(t, ours, []string{"config", "--help"}, difftest.Opts{})
	require.Equal(t, 0, r.Code)
	for _, s := range []string{"current-context", "get-contexts", "use-context", "set-context", "delete-context", "view", "password-file"} {
		assert.Contains(t, string(r.Stdout), s)
	}
	r = difftest.Run(t, ours, []string{"config", "set-context", "--help"}, difftest.Opts{})
	for _, s := range []string{"--endpoints string", "--cacert string", "--password-file string", "--auth-jwt-token-file string", "--command-timeout string"} {
		assert.Contains(t, string(r.Stdout), s)
	}
	r = difftest.Run(t, ours, []string{"options"}, difftest.Opts{})
	assert.Contains(t, string(r.Stdout), "      --context string ")
}
