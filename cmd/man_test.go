package cmd

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/gendoc"
	"github.com/etcdctl-rewritten/etcdctl/internal/iostreams"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// One man page per command of the tree, each naming the command and all of its flags.
func TestManPages(t *testing.T) {
	dir := t.TempDir()
	streams, _, _, _ := iostreams.Test()
	root := NewRootCmd(cmdutil.NewFactory(streams, nil))
	require.NoError(t, gendoc.ManPages(root, dir, "3.7.3"))

	var want []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if !c.IsAvailableCommand() && c != root {
			return
		}
		want = append(want, gendoc.ManPageName(c))
		t.Run(strings.ReplaceAll(c.CommandPath(), " ", "_"), func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, gendoc.ManPageName(c)))
			require.NoError(t, err)
			page := strings.ReplaceAll(string(b), `\-`, "-") // roff escapes dashes
			assert.True(t, strings.HasPrefix(page, ".nh\n.TH \"ETCDCTL\" \"1\""), "roff header")
			short, _, _ := strings.Cut(c.Short, "`") // markdown quotes become roff fonts
			name := ".SH NAME\n" + strings.ReplaceAll(c.CommandPath(), " ", "-") + " - " + short
			assert.True(t, strings.Contains(page, name), "page has no %q", name)
			c.NonInheritedFlags().VisitAll(func(fl *pflag.Flag) {
				if !fl.Hidden {
					assert.True(t, strings.Contains(page, `\fB--`+fl.Name+`\fP`), "flag --%s missing", fl.Name)
				}
			})
			c.InheritedFlags().VisitAll(func(fl *pflag.Flag) {
				if !fl.Hidden { // --compat is in no help page and no man page
					assert.True(t, strings.Contains(page, `\fB--`+fl.Name+`\fP`), "inherited flag --%s missing", fl.Name)
				}
			})
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)

	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	sort.Strings(want)
	assert.Equal(t, want, got, "exactly one page per command")
	assert.Contains(t, want, "etcdctl-completion.1")
}
