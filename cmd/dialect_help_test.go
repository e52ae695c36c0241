package cmd

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/stretchr/testify/require"
)

// Help pages of the 3.5 and 3.6 dialects against their own references: the tree is walked
// from the reference's root page (its COMMANDS section lists every leaf by path), and every
// page (`<cmd> --help`, `help <cmd>`, the usage after a flag error, the root's variants) is
// compared byte for byte under ETCDCTL_COMPAT, stdout and stderr (without JSON log lines) and
// the exit code. testdata/help-<dialect>/ keeps the reference's pages (regenerate with -update).

// dialectRefs are the legacy dialects and the reference release each stands in for.
var dialectRefs = []struct{ name, version string }{
	{"3.5", "v3.5.35"},
	{"3.6", "v3.6.16"},
}

// legacyHelpPaths lists the command paths of a legacy reference's tree (without the root).
func legacyHelpPaths(t *testing.T, ref string) [][]string {
	t.Helper()
	r := difftest.Run(t, ref, []string{"--help"}, difftest.Opts{})
	require.Equal(t, 0, r.Code)
	seen := map[string]bool{}
	in := false
	for _, l := range strings.Split(string(r.Stdout), "\n") {
		switch {
		case l == "COMMANDS:":
			in = true
			continue
		case strings.TrimSpace(l) == "":
			in = false
			continue
		}
		if !in {
			continue
		}
		path := strings.Fields(strings.SplitN(strings.TrimLeft(l, " \t"), "\t", 2)[0])
		for i := 1; i <= len(path); i++ {
			seen[strings.Join(path[:i], " ")] = true
		}
	}
	var paths [][]string
	for p := range seen {
		paths = append(paths, strings.Fields(p))
	}
	sort.Slice(paths, func(i, j int) bool { return strings.Join(paths[i], " ") < strings.Join(paths[j], " ") })
	return paths
}

// legacyHelpPages are the pages of a legacy tree.
func legacyHelpPages(paths [][]string) [][]string {
	pages := [][]string{{}, {"--help"}, {"-h"}, {"help"}, {"options"}, {"help", "no-such-topic"}, {helpBogusFlag},
		// where cobra meets the help flag before it knows it
		{"--help", "get"}, {"-h", "get"}, {"--help", "member", "list"}, {"member", "--help", "list"},
		{"-w", "json", "-h", "get"}, {"--help=true", "get"}, {"help", "get", "put"}}
	for _, p := range paths {
		pages = append(pages,
			append(append([]string{}, p...), "--help"),
			append([]string{"help"}, p...),
			append(append([]string{}, p...), helpBogusFlag))
	}
	return pages
}

// legacyPageText is everything a page run shows: stdout, stderr without log lines, exit code.
func legacyPageText(r difftest.Result) string {
	return fmt.Sprintf("%s----- stderr -----\n%s----- exit %d -----\n", r.Stdout, strings.Join(r.ErrLines(), "\n"), r.Code)
}

func TestDialectHelpGolden(t *testing.T) {
	for _, d := range dialectRefs {
		t.Run(d.name, func(t *testing.T) {
			dir := filepath.Join("testdata", "help-"+d.name)
			index := filepath.Join(dir, "INDEX")
			if *difftest.Update {
				ref := difftest.RefBinaryAt(t, d.version)
				var b strings.Builder
				for _, p := range legacyHelpPages(legacyHelpPaths(t, ref)) {
					b.WriteString(strings.Join(append([]string{"page"}, p...), "\t") + "\n")
				}
				require.NoError(t, os.MkdirAll(dir, 0o755))
				require.NoError(t, os.WriteFile(index, []byte(b.String()), 0o644))
			}
			data, err := os.ReadFile(index)
			require.NoError(t, err, "regenerate with: go test ./cmd/ -run TestDialectHelpGolden -update")
			var pages []helpPage
			for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
				pages = append(pages, helpPage{Args: strings.Split(l, "\t")[1:]})
			}
			env := []string{"ETCDCTL_COMPAT=" + d.name}
			helpRunPages(t, pages, func(t *testing.T, p helpPage) bool {
				got := legacyPageText(difftest.Run(t, difftest.OurBinary(t), p.Args, difftest.Opts{Env: env}))
				return !difftest.Golden(t, filepath.Join("help-"+d.name, p.name()), []byte(got), func() []byte {
					return []byte(legacyPageText(difftest.Run(t, difftest.RefBinaryAt(t, d.version), p.Args, difftest.Opts{})))
				})
			})
		})
	}
}
