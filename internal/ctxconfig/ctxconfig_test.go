package ctxconfig

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestContextParse(t *testing.T) {
	cfg, err := Parse("/etc/c.yaml", []byte(`# comment
current-context: prod
contexts:
- name: prod
  endpoints: [https://10.0.0.1:2379, https://10.0.0.2:2379]
  cacert: ca.pem
  user: root
  password-file: /secrets/root
  insecure-transport: false
  command-timeout: 30s
- name: dev
  endpoints: 127.0.0.1:2379
`))
	require.NoError(t, err)
	assert.Equal(t, "prod", cfg.CurrentContext)
	require.Equal(t, []string{"prod", "dev"}, cfg.Names())
	prod := cfg.Find("prod")
	eps, _ := prod.Get("endpoints")
	assert.Equal(t, "https://10.0.0.1:2379,https://10.0.0.2:2379", eps)
	ca, _ := prod.Get("cacert")
	assert.Equal(t, "/etc/ca.pem", cfg.Resolve("cacert", ca), "relative to the config file")
	assert.Equal(t, 6, prod.Settings[1].Line)

	for _, empty := range []string{"", "# nothing\n", "contexts:\n", "contexts: []\n"} {
		cfg, err := Parse("x", []byte(empty))
		require.NoError(t, err, "%q", empty)
		assert.Empty(t, cfg.Contexts)
	}
}

func TestContextParseErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"contexts:\n- name: a\n  password: s3cret\n", `/c.yaml:3: "password" would hold a secret in the config file; name a file holding it with "password-file" instead`},
		{"contexts:\n- name: a\n  auth-jwt-token: eyJ\n", `/c.yaml:3: "auth-jwt-token" would hold a secret`},
		{"contexts:\n- name: a\n  user: root:pw\n", `/c.yaml:3: user: a context holds no password`},
		{"contexts:\n- name: a\n  endpoints: [\n", `/c.yaml:3: yaml: `},
		{"contexts:\n  - name: a\n    bogus: 1\n", `/c.yaml:3: unknown setting "bogus"`},
		{"contexts:\n- name: a\n  dial-timeout: 3\n", `/c.yaml:3: dial-timeout: "3" is not a duration`},
		{"contexts:\n- name: a\n  insecure-transport: maybe\n", `/c.yaml:3: insecure-transport: "maybe" is not true or false`},
		{"contexts:\n- endpoints: [a]\n", `/c.yaml:2: a context needs a name`},
		{"contexts:\n- name: a\n- name: a\n", `/c.yaml:3: context "a" is defined twice`},
		{"contexts:\n- name: a\n  user: u\n  user: v\n", `/c.yaml:4: "user" appears twice`},
		{"context: []\n", `/c.yaml:1: unknown key "context"`},
		{"- a\n", `/c.yaml:1: the file must be a mapping`},
		{"contexts:\n- name: a\n  password-file: /p\n", `/c.yaml:2: context "a" has a password-file but no user`},
	} {
		_, err := Parse("/c.yaml", []byte(tc.text))
		require.Error(t, err, "%q", tc.text)
		assert.Contains(t, err.Error(), tc.want, "%q", tc.text)
	}
}

func TestContextPath(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	assert.Equal(t, "/x/c.yaml", Path(env(map[string]string{"ETCDCTL_CONFIG": "/x/c.yaml", "HOME": "/h"})))
	assert.Equal(t, "/xdg/etcdctl/config.yaml", Path(env(map[string]string{"XDG_CONFIG_HOME": "/xdg", "HOME": "/h"})))
	assert.Equal(t, "/h/.config/etcdctl/config.yaml", Path(env(map[string]string{"HOME": "/h"})))
	assert.Equal(t, "", Path(env(nil)))
}

// Save writes atomically, 0600, and what it writes reads back the same.
func TestContextSaveRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "etcdctl")
	path := filepath.Join(dir, "config.yaml")
	cfg, err := LoadOrEmpty(path)
	require.NoError(t, err)
	c := &Context{Name: "prod"}
	c.Set("user", "root")
	c.Set("endpoints", "a:1,b:2")
	c.Set("password-file", "/p")
	c.Set("insecure-skip-tls-verify", "true")
	cfg.Contexts = append(cfg.Contexts, c, &Context{Name: "dev"})
	cfg.CurrentContext = "prod"
	require.NoError(t, cfg.Save())
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temp file left behind")

	back, err := Load(path)
	require.NoError(t, err)
	assert.Equal(t, "prod", back.CurrentContext)
	require.Len(t, back.Contexts, 2)
	var keys []string
	for _, s := range back.Contexts[0].Settings {
		keys = append(keys, s.Key)
	}
	assert.Equal(t, []string{"endpoints", "user", "password-file", "insecure-skip-tls-verify"}, keys, "Keys order")
	v, _ := back.Contexts[0].Get("insecure-skip-tls-verify")
	assert.Equal(t, "true", v)

	back.Contexts[0].Set("user", "")
	_, ok := back.Contexts[0].Get("user")
	assert.False(t, ok, "an empty value removes the setting")
	assert.True(t, back.Delete("prod"))
	assert.Equal(t, "", back.CurrentContext, "deleting the current context unsets it")

	missing, err := Load(filepath.Join(dir, "none.yaml"))
	assert.NoError(t, err)
	assert.Nil(t, missing)
}
