package stackreserve_test

import (
	"debug/buildinfo"
	"debug/elf"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
)

// TestInitialisedBeforeTheDeepInitialisers: the reservation only helps if it runs before the
// protobuf, gRPC and etcd packages' initialisers (GODEBUG=inittrace lists them in order).
func TestInitialisedBeforeTheDeepInitialisers(t *testing.T) {
	bin := difftest.OurBinary(t)
	res := difftest.Run(t, bin, []string{"version"}, difftest.Opts{Env: []string{"GODEBUG=inittrace=1"}})
	require.Equal(t, 0, res.Code, "%s", res.Stderr)
	var order []string
	for _, l := range strings.Split(string(res.Stderr), "\n") {
		if f := strings.Fields(l); len(f) > 1 && f[0] == "init" {
			order = append(order, f[1])
		}
	}
	at := map[string]int{}
	for i, p := range order {
		at[p] = i
	}
	me, ok := at["github.com/etcdctl-rewritten/etcdctl/internal/stackreserve"]
	require.True(t, ok, "stackreserve's initialiser did not run: %v", order)
	deep := 0
	for _, p := range order {
		if strings.HasPrefix(p, "google.golang.org/") || strings.HasPrefix(p, "go.etcd.io/") {
			deep++
			assert.Less(t, me, at[p], "%s is initialised before the stack is reserved", p)
		}
	}
	assert.Greater(t, deep, 5, "the deep initialisers were not found in the trace: %v", order)
}

// TestBuildRecipe: the binary the tests use is built as `make build` builds it (static, without
// gRPC's tracing), so the start-up it measures is the shipped one.
func TestBuildRecipe(t *testing.T) {
	info, err := buildinfo.ReadFile(difftest.OurBinary(t))
	require.NoError(t, err)
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	assert.Equal(t, "0", settings["CGO_ENABLED"])
	assert.Contains(t, strings.Split(settings["-tags"], ","), "grpcnotrace")
	f, err := elf.Open(difftest.OurBinary(t))
	require.NoError(t, err)
	defer f.Close()
	syms, err := f.Symbols()
	require.NoError(t, err)
	grpcFound := false
	for _, s := range syms {
		assert.False(t, strings.HasPrefix(s.Name, "golang.org/x/net/trace."), "linked: %s", s.Name)
		grpcFound = grpcFound || strings.HasPrefix(s.Name, "google.golang.org/grpc.")
	}
	assert.True(t, grpcFound, "the symbol table lists no gRPC function: the check above saw nothing")
}
