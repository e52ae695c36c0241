package flags

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// contextRun parses args as global flags, applies environ and then the context, as the factory
// does, and returns the resulting options.
func contextRun(t *testing.T, args, environ []string) (*Global, error) {
	t.Helper()
	g := &Global{}
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	g.Register(fs)
	require.NoError(t, fs.Parse(args))
	commandTimeout := g.CommandTimeout
	if err := ApplyEnv(fs, environ, nil); err != nil {
		return nil, err
	}
	g.CommandTimeout = commandTimeout // ETCDCTL_COMMAND_TIMEOUT has no effect, as upstream
	getenv := func(k string) string {
		for _, kv := range environ {
			if len(kv) > len(k) && kv[:len(k)+1] == k+"=" {
				return kv[len(k)+1:]
			}
		}
		return ""
	}
	_, _, err := ApplyContext(fs, g, getenv)
	return g, err
}

func TestContextPrecedence(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "pw"), []byte("s3cret\n"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "jwt"), []byte("eyJtoken\n"), 0o600))
	path := filepath.Join(dir, "config.yaml")
	require.NoError(t, os.WriteFile(path, []byte(`current-context: a
contexts:
- name: a
  endpoints: [ctx-a:1, ctx-a:2]
  cacert: ca.pem
  user: alice
  password-file: pw
  dial-timeout: 7s
  command-timeout: 9s
  insecure-skip-tls-verify: true
- name: b
  endpoints: ctx-b:1
  auth-jwt-token-file: jwt
`), 0o600))
	cfgEnv := "ETCDCTL_CONFIG=" + path

	// default: no file, no context
	g, err := contextRun(t, nil, []string{"ETCDCTL_CONFIG=" + filepath.Join(dir, "none.yaml")})
	require.NoError(t, err)
	assert.Equal(t, []string{"127.0.0.1:2379"}, g.Endpoints)
	assert.Equal(t, 2*time.Second, g.DialTimeout)

	// context > default (current-context)
	g, err = contextRun(t, nil, []string{cfgEnv})
	require.NoError(t, err)
	assert.Equal(t, []string{"ctx-a:1", "ctx-a:2"}, g.Endpoints)
	assert.Equal(t, filepath.Join(dir, "ca.pem"), g.CACert)
	assert.Equal(t, "alice", g.User)
	assert.Equal(t, "s3cret", g.Password, "read from the password file, without its newline")
	assert.Equal(t, 7*time.Second, g.DialTimeout)
	assert.Equal(t, 9*time.Second, g.CommandTimeout)
	assert.True(t, g.InsecureSkipTLSVerify)
	assert.Equal(t, 6*time.Second, g.KeepAliveTimeout, "not in the context: default")

	// ETCDCTL_* > context
	g, err = contextRun(t, nil, []string{cfgEnv, "ETCDCTL_ENDPOINTS=env:1", "ETCDCTL_DIAL_TIMEOUT=3s", "ETCDCTL_COMMAND_TIMEOUT=1s"})
	require.NoError(t, err)
	assert.Equal(t, []string{"env:1"}, g.Endpoints)
	assert.Equal(t, 3*time.Second, g.DialTimeout)
	assert.Equal(t, 9*time.Second, g.CommandTimeout, "ETCDCTL_COMMAND_TIMEOUT has no effect (upstream), the context's applies")
	assert.Equal(t, "alice", g.User)

	// flag > context
	g, err = contextRun(t, []string{"--endpoints=flag:1", "--command-timeout=2s", "--insecure-skip-tls-verify=false"}, []string{cfgEnv})
	require.NoError(t, err)
	assert.Equal(t, []string{"flag:1"}, g.Endpoints)
	assert.Equal(t, 2*time.Second, g.CommandTimeout)
	assert.False(t, g.InsecureSkipTLSVerify)

	// flag and variable for the same setting: fatal, as upstream (whatever the context)
	_, err = contextRun(t, []string{"--endpoints=flag:1"}, []string{cfgEnv, "ETCDCTL_ENDPOINTS=env:1"})
	var ce *ConflictError
	require.ErrorAs(t, err, &ce)

	// credentials go together: a user given elsewhere drops the context's user and password
	g, err = contextRun(t, []string{"--user=bob:pw"}, []string{cfgEnv})
	require.NoError(t, err)
	assert.Equal(t, "bob:pw", g.User)
	assert.Equal(t, "", g.Password)
	g, err = contextRun(t, nil, []string{cfgEnv, "ETCDCTL_AUTH_JWT_TOKEN=tok"})
	require.NoError(t, err)
	assert.Equal(t, "", g.User)
	assert.Equal(t, "tok", g.AuthJWTToken)

	// --context > ETCDCTL_CONTEXT > current-context; the token comes from its file
	g, err = contextRun(t, []string{"--context=b"}, []string{cfgEnv})
	require.NoError(t, err)
	assert.Equal(t, []string{"ctx-b:1"}, g.Endpoints)
	assert.Equal(t, "eyJtoken", g.AuthJWTToken)
	assert.Equal(t, "", g.User)
	g, err = contextRun(t, nil, []string{cfgEnv, "ETCDCTL_CONTEXT=b"})
	require.NoError(t, err)
	assert.Equal(t, []string{"ctx-b:1"}, g.Endpoints)

	// unknown contexts and missing files
	_, err = contextRun(t, []string{"--context=zz"}, []string{cfgEnv})
	assert.ErrorContains(t, err, `context "zz" not found in `+path+" (it has a, b)")
	_, err = contextRun(t, []string{"--context=zz"}, []string{"ETCDCTL_CONFIG=" + filepath.Join(dir, "none.yaml")})
	assert.ErrorContains(t, err, `context "zz" not found: no config file `)
	require.NoError(t, os.Remove(filepath.Join(dir, "pw")))
	_, err = contextRun(t, nil, []string{cfgEnv})
	assert.ErrorContains(t, err, path+`:7: context "a": password-file: open `)
}
