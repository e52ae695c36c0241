package dialect

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDialectSelect(t *testing.T) {
	for _, c := range []struct {
		prog    string
		args    []string
		environ []string
		want    string
	}{
		{"etcdctl", nil, nil, "3.7"},
		{"/usr/bin/etcdctl-3.5", nil, nil, "3.5"},
		{"etcdctl-3.6", nil, nil, "3.6"},
		{"etcdctl-3.6.exe", nil, nil, "3.6"},
		{"etcdctl-3.5", nil, []string{"ETCDCTL_COMPAT=3.7"}, "3.7"},
		{"etcdctl-3.5", []string{"--compat", "3.6", "get"}, []string{"ETCDCTL_COMPAT=3.7"}, "3.6"},
		{"etcdctl", []string{"get", "--compat=3.5", "k"}, nil, "3.5"},
		{"etcdctl", []string{"get", "--", "--compat=3.5"}, nil, "3.7"},
		{"etcdctl", nil, []string{"ETCDCTL_COMPAT=3.5", "ETCDCTL_COMPAT=3.6"}, "3.6"},
		{"etcdctl", nil, []string{"ETCDCTL_COMPAT="}, "3.7"},
	} {
		d, err := Select(c.prog, c.args, c.environ)
		require.NoError(t, err, "%+v", c)
		assert.Equal(t, c.want, d.Name, "%+v", c)
	}
	_, err := Select("etcdctl", []string{"--compat", "3.4"}, nil)
	assert.EqualError(t, err, `unsupported compat version "3.4" (accepted: 3.5, 3.6, 3.7)`)
	// a missing value is left to cobra ("flag needs an argument"); the name still applies
	d, err := Select("etcdctl-3.6", []string{"version", "--compat"}, nil)
	require.NoError(t, err)
	assert.Equal(t, "3.6", d.Name)
}

func TestDialectData(t *testing.T) {
	for _, n := range Names() {
		d, err := Get(n)
		require.NoError(t, err)
		assert.Equal(t, n, d.APIVersion)
		assert.Contains(t, d.Version, n+".")
	}
	d37, _ := Get("3.7")
	assert.False(t, d37.LegacyHelp)
	assert.True(t, d37.IsRemoved("snapshot restore"), "3.5's file verbs exist only in 3.5")
	d35, _ := Get("3.5")
	assert.False(t, d35.IsRemoved("snapshot restore"))
	assert.True(t, d35.IsRemoved("get --stream"))
	// each call returns its own data (no shared mutable state)
	a, _ := Get("3.6")
	a.Short["lease"] = "changed"
	b, _ := Get("3.6")
	assert.Equal(t, "Lease related commands", b.Short["lease"])
}

func TestAPIVar(t *testing.T) {
	d35, err := Get("3.5")
	require.NoError(t, err)
	for env, want := range map[string]string{"": "3", "ETCDCTL_API=": "3", "ETCDCTL_API=3": "3", "ETCDCTL_API=2": "2",
		"ETCDCTL_API=4": "unsupported API version: 4", "ETCDCTL_API=3.0": "unsupported API version: 3.0"} {
		got, err := d35.API([]string{"OTHER=1", env})
		if err != nil {
			got = err.Error()
		}
		assert.Equal(t, want, got, "3.5 %q", env)
	}
	// the last assignment wins, as in a process environment built by appending
	got, err := d35.API([]string{"ETCDCTL_API=4", "ETCDCTL_API=2"})
	require.NoError(t, err)
	assert.Equal(t, "2", got)
	for _, n := range []string{"3.6", "3.7"} {
		d, err := Get(n)
		require.NoError(t, err)
		got, err := d.API([]string{"ETCDCTL_API=2"})
		require.NoError(t, err)
		assert.Equal(t, "3", got, n)
	}
}
