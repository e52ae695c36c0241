package cmd

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/stretchr/testify/require"
)

// Every help page of the reference, discovered by walking its command tree (each page's command
// list names the next level), compared byte for byte with ours: `<cmd> --help`, `help <cmd>`, the
// usage printed after a flag error, and the root's pages (`etcdctl`, `--help`, `-h`, `help`,
// `options`, unknown topic, unknown flag). testdata/help/ keeps the reference's pages as golden
// files (regenerate with -update) so they can be read and checked without the reference.

// helpPage is one page: the arguments that ask for it and the stream it is written to.
type helpPage struct {
	Args   []string
	Stderr bool // the page is the usage written to stderr (after an error)
}

// helpBogusFlag is a flag no command has, to get the usage printed after a flag error.
const helpBogusFlag = "--no-such-flag-for-help-test"

func (p helpPage) name() string {
	if len(p.Args) == 0 {
		return "etcdctl"
	}
	s := "etcdctl_" + strings.Join(p.Args, "_")
	s = strings.ReplaceAll(s, helpBogusFlag, "BOGUS-FLAG")
	return strings.NewReplacer("/", "_", " ", "_").Replace(s)
}

func (p helpPage) String() string { return strings.TrimSpace("etcdctl " + strings.Join(p.Args, " ")) }

// text is what the page shows: stdout, or stderr without upstream's JSON log lines.
func (p helpPage) text(r difftest.Result) string {
	if !p.Stderr {
		return string(r.Stdout)
	}
	var b strings.Builder
	for _, l := range strings.SplitAfter(string(r.Stderr), "\n") {
		if !strings.HasPrefix(l, `{"level"`) {
			b.WriteString(l)
		}
	}
	return b.String()
}

// helpSubcommands lists the commands a help page offers (the lines of its command sections
// after "Usage:").
func helpSubcommands(page string) []string {
	var out []string
	seenUsage := false
	section := ""
	for _, l := range strings.Split(page, "\n") {
		if l == "" {
			continue
		}
		if !strings.HasPrefix(l, " ") {
			section = l
			if l == "Usage:" {
				seenUsage = true
			}
			continue
		}
		if !seenUsage || strings.HasPrefix(l, "   ") {
			continue
		}
		switch {
		case section == "Usage:", section == "Flags:", section == "Global Flags:", section == "Aliases:",
			section == "Examples:", strings.HasPrefix(section, "Additional help topics"):
			continue
		case strings.HasPrefix(section, "Use \""):
			continue
		}
		if f := strings.Fields(l); len(f) > 0 && !strings.HasPrefix(f[0], "-") {
			out = append(out, f[0])
		}
	}
	return out
}

// helpRefPaths walks the reference's tree and returns every command path (without the root).
func helpRefPaths(t *testing.T) [][]string {
	t.Helper()
	ref := difftest.RefBinary(t)
	var paths [][]string
	queue := [][]string{nil}
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		r := difftest.Run(t, ref, append(append([]string{}, path...), "--help"), difftest.Opts{})
		require.Equal(t, 0, r.Code, "reference %v --help", path)
		for _, sub := range helpSubcommands(string(r.Stdout)) {
			p := append(append([]string{}, path...), sub)
			paths = append(paths, p)
			if sub != "help" {
				queue = append(queue, p)
			}
		}
	}
	sort.Slice(paths, func(i, j int) bool { return strings.Join(paths[i], " ") < strings.Join(paths[j], " ") })
	return paths
}

// helpPages are all pages of the tree made of paths.
func helpPages(paths [][]string) []helpPage {
	pages := []helpPage{
		{Args: []string{}}, {Args: []string{"--help"}}, {Args: []string{"-h"}}, {Args: []string{"help"}},
		{Args: []string{"options"}}, {Args: []string{"help", "no-such-topic"}, Stderr: true},
		{Args: []string{helpBogusFlag}, Stderr: true},
	}
	for _, p := range paths {
		pages = append(pages,
			helpPage{Args: append(append([]string{}, p...), "--help")},
			helpPage{Args: append([]string{"help"}, p...)},
			helpPage{Args: append(append([]string{}, p...), helpBogusFlag), Stderr: true},
		)
	}
	return pages
}

// helpDiff is a short line diff (- reference, + ours) of two pages.
func helpDiff(ref, ours string) string {
	a, b := strings.Split(ref, "\n"), strings.Split(ours, "\n")
	// longest common subsequence table
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var sb strings.Builder
	shown := 0
	line := func(prefix, s string) {
		if shown < 40 {
			fmt.Fprintf(&sb, "\t%s %q\n", prefix, s)
		} else if shown == 40 {
			sb.WriteString("\t...\n")
		}
		shown++
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			line("-", a[i])
			i++
		default:
			line("+", b[j])
			j++
		}
	}
	return sb.String()
}

// helpRunPages runs check on every page in parallel and reports, at the end, which pages differ.
func helpRunPages(t *testing.T, pages []helpPage, check func(t *testing.T, p helpPage) (differs bool)) {
	var (
		mu      sync.Mutex
		differs []string
	)
	t.Run("pages", func(t *testing.T) {
		for _, p := range pages {
			t.Run(p.name(), func(t *testing.T) {
				t.Parallel()
				if check(t, p) {
					mu.Lock()
					differs = append(differs, p.String())
					mu.Unlock()
				}
			})
		}
	})
	sort.Strings(differs)
	if len(differs) > 0 {
		t.Errorf("%d of %d help pages differ from upstream v3.7.3:\n\t%s", len(differs), len(pages), strings.Join(differs, "\n\t"))
	}
}

// TestHelpDifferential compares every help page of ours with the reference's, live.
func TestHelpDifferential(t *testing.T) {
	pages := helpPages(helpRefPaths(t))
	helpRunPages(t, pages, func(t *testing.T, p helpPage) bool {
		pair := difftest.Both(t, p.Args, difftest.Opts{})
		ref, ours := p.text(pair.Ref), p.text(pair.Ours)
		differs := false
		if allowed, ok := helpAdditions[p.name()]; ok {
			if err := difftest.AddedLinesOnly(ref, ours, allowed...); err != nil {
				t.Errorf("%s: %v (- upstream, + ours):\n%s", p, err, helpDiff(ref, ours))
				differs = true
			}
		} else if ref != ours {
			t.Errorf("%s: page differs (- upstream, + ours):\n%s", p, helpDiff(ref, ours))
			differs = true
		}
		if pair.Ref.Code != pair.Ours.Code {
			t.Errorf("%s: exit code %d, upstream %d", p, pair.Ours.Code, pair.Ref.Code)
			differs = true
		}
		if !p.Stderr && pair.Ref.FirstErrLine() != pair.Ours.FirstErrLine() {
			t.Errorf("%s: first stderr line %q, upstream %q", p, pair.Ours.FirstErrLine(), pair.Ref.FirstErrLine())
			differs = true
		}
		return differs
	})
}

// helpGoldenIndex lists the golden pages: one per line, "stdout|stderr<TAB>arg<TAB>arg...".
const helpGoldenIndex = "testdata/help/INDEX"

// TestHelpGolden compares our help pages with the reference's pages kept in testdata/help/
// (no reference binary needed; -update regenerates them from the reference).
func TestHelpGolden(t *testing.T) {
	if *difftest.Update {
		var b strings.Builder
		for _, p := range helpPages(helpRefPaths(t)) {
			stream := "stdout"
			if p.Stderr {
				stream = "stderr"
			}
			b.WriteString(strings.Join(append([]string{stream}, p.Args...), "\t") + "\n")
		}
		require.NoError(t, os.MkdirAll(filepath.Dir(helpGoldenIndex), 0o755))
		require.NoError(t, os.WriteFile(helpGoldenIndex, []byte(b.String()), 0o644))
	}
	index, err := os.ReadFile(helpGoldenIndex)
	require.NoError(t, err, "regenerate with: go test ./cmd/ -run TestHelpGolden -update")
	var pages []helpPage
	for _, l := range strings.Split(strings.TrimSpace(string(index)), "\n") {
		f := strings.Split(l, "\t")
		pages = append(pages, helpPage{Args: append([]string{}, f[1:]...), Stderr: f[0] == "stderr"})
	}
	helpRunPages(t, pages, func(t *testing.T, p helpPage) bool {
		got := p.text(difftest.Run(t, difftest.OurBinary(t), p.Args, difftest.Opts{}))
		if allowed, ok := helpAdditions[p.name()]; ok {
			return !helpGoldenAdded(t, p, got, allowed)
		}
		return !difftest.Golden(t, filepath.Join("help", p.name()), []byte(got), func() []byte {
			return []byte(p.text(difftest.Run(t, difftest.RefBinary(t), p.Args, difftest.Opts{})))
		})
	})
}

// helpAdditions are the only pages that carry lines of ours (our flags), with the start of every
// line each may add. On them upstream's lines must still all be there, unchanged and in order;
// every other page stays byte for byte upstream's.
var helpAdditions = map[string][]string{
	"etcdctl_options":           difftest.OurHelpLines(),
	"etcdctl_defrag_--help":     difftest.OurHelpLines(),
	"etcdctl_help_defrag":       difftest.OurHelpLines(),
	"etcdctl_defrag_BOGUS-FLAG": difftest.OurHelpLines(),
}

// helpGoldenAdded checks a page that may carry our added lines against its golden file.
func helpGoldenAdded(t *testing.T, p helpPage, got string, allowed []string) bool {
	t.Helper()
	path := filepath.Join("testdata", "help", p.name()+".golden")
	if *difftest.Update {
		ref := p.text(difftest.Run(t, difftest.RefBinary(t), p.Args, difftest.Opts{}))
		require.NoError(t, os.WriteFile(path, []byte(ref), 0o644))
	}
	exp, err := os.ReadFile(path)
	require.NoError(t, err, "regenerate with: go test ./cmd/ -run TestHelpGolden -update")
	if err := difftest.AddedLinesOnly(string(exp), got, allowed...); err != nil {
		t.Errorf("%s: %v (- upstream, + ours):\n%s", p, err, helpDiff(string(exp), got))
		return false
	}
	return true
}

// Added lines: upstream's lines in order, extras only from the allowed list.
func TestHelpAddedLinesOnly(t *testing.T) {
	ref := "a\nb\n  --x\nc\n"
	require.NoError(t, difftest.AddedLinesOnly(ref, "a\nb\n  --x\n  --new y\nc\n", "  --new "))
	require.Error(t, difftest.AddedLinesOnly(ref, "a\nb\n  --x\n  --other\nc\n", "  --new "))
	require.Error(t, difftest.AddedLinesOnly(ref, "a\n  --x\nb\nc\n", "  --new "), "order")
	require.Error(t, difftest.AddedLinesOnly(ref, "a\nb\n  --x  \nc\n", "  --new "), "changed line")
}

// Unit check of the page parser on a shape with groups, a Long text and flags.
func TestHelpSubcommandsParser(t *testing.T) {
	page := "Long text\n  $ not a command\n\nUsage:\n  etcdctl [command]\n\nKey-value commands\n  get   Gets\n  put   Puts\n\n" +
		"Utility commands\n  help  Help\n\nFlags:\n  -h, --help   help\n      --long x\n\nUse \"etcdctl [command] --help\" for more.\n"
	require.Equal(t, []string{"get", "put", "help"}, helpSubcommands(page))
}
