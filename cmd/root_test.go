package cmd

import (
	"strings"
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/iostreams"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func run(t *testing.T, env []string, args ...string) (string, string, int) {
	t.Helper()
	io, _, out, errOut := iostreams.Test()
	code := Main(args, io, env)
	return out.String(), errOut.String(), code
}

func TestVersionInProcess(t *testing.T) {
	out, _, code := run(t, nil, "version")
	assert.Equal(t, 0, code)
	assert.Equal(t, "etcdctl version: 3.7.3\nAPI version: 3.7\n", out)
}

func TestEnvConflictIsFatal(t *testing.T) {
	_, errOut, code := run(t, []string{"ETCDCTL_ENDPOINTS=127.0.0.1:1"}, "--endpoints=127.0.0.1:2", "get", "k")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, `Error: conflicting environment variable "ETCDCTL_ENDPOINTS"`)
}

func TestPrefixMatching(t *testing.T) {
	out, _, code := run(t, nil, "vers")
	assert.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(out, "etcdctl version:"))
}

// The command-line surface that needs no cluster, against the reference binary.
func TestNoClusterDifferential(t *testing.T) {
	cases := [][]string{
		{}, {"--help"}, {"-h"}, {"help"}, {"version"}, {"version", "extra"},
		{"gett"}, {"--bogus"}, {"version", "--bogus"}, {"-w", "json", "version"},
	}
	for _, args := range cases {
		t.Run(strings.Join(args, "_"), func(t *testing.T) {
			difftest.Compare(t, args, difftest.Opts{})
		})
	}
	// options lists our global flags too: upstream's lines unchanged and in order, plus ours.
	p := difftest.Both(t, []string{"options"}, difftest.Opts{})
	assert.Equal(t, p.Ref.Code, p.Ours.Code)
	assert.NoError(t, difftest.AddedLinesOnly(string(p.Ref.Stdout), string(p.Ours.Stdout), helpAdditions["etcdctl_options"]...))
}

func TestUnknownEnvIsOnlyAWarning(t *testing.T) {
	out, errOut, code := run(t, []string{"ETCDCTL_FOO=1"}, "version")
	require.Equal(t, 0, code)
	assert.NotEmpty(t, out)
	assert.Empty(t, errOut, "version does not read the environment")
}
