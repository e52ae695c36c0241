package cmd

import (
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/dialect"
	"github.com/etcdctl-rewritten/etcdctl/internal/iostreams"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A flag a release lacks is in no flag set of its tree: not on its command, not inherited by any
// command below (even one whose flags were merged before the dialect was applied), so cobra's
// parser reports it as unknown. The other flags keep their values' bindings.
func TestDialectFlagsRemovedFromTree(t *testing.T) {
	for _, name := range dialect.Names() {
		d, err := dialect.Get(name)
		require.NoError(t, err)
		streams, _, _, _ := iostreams.Test()
		f := cmdutil.NewFactory(streams, nil)
		f.Dialect = d
		root := NewRootCmd(f)
		var walk func(c *cobra.Command)
		walk = func(c *cobra.Command) {
			for _, p := range d.Removed {
				cmdPath, flagName, isFlag := splitFlagPath(p)
				if !isFlag {
					continue
				}
				owner := findExact(root, cmdPath)
				if owner == nil || !isUnder(c, owner) {
					continue
				}
				assert.Nil(t, c.Flags().Lookup(flagName), "%s: %q has --%s", name, c.CommandPath(), flagName)
				assert.Nil(t, c.InheritedFlags().Lookup(flagName), "%s: %q inherits --%s", name, c.CommandPath(), flagName)
			}
			for _, sub := range c.Commands() {
				walk(sub)
			}
		}
		walk(root)
		// what stays is still bound: a global parsed on a subcommand reaches the options
		get := findExact(root, "get")
		require.NotNil(t, get)
		require.NoError(t, get.ParseFlags([]string{"--hex", "--dial-timeout=7s", "--limit=3"}))
		assert.True(t, f.Global.Hex, name)
		assert.Equal(t, "7s", f.Global.DialTimeout.String(), name)
		assert.Equal(t, "3", get.Flags().Lookup("limit").Value.String(), name)
	}
	// and the 3.7 tree still has the flags the older releases lack
	d, err := dialect.Get("3.7")
	require.NoError(t, err)
	streams, _, _, _ := iostreams.Test()
	f := cmdutil.NewFactory(streams, nil)
	f.Dialect = d
	root := NewRootCmd(f)
	get := findExact(root, "get")
	for _, fl := range []string{"stream", "max-create-rev", "auth-jwt-token", "max-recv-bytes"} {
		assert.True(t, get.Flags().Lookup(fl) != nil || get.InheritedFlags().Lookup(fl) != nil, fl)
	}
}

// isUnder reports whether c is owner or below it.
func isUnder(c, owner *cobra.Command) bool {
	for x := c; x != nil; x = x.Parent() {
		if x == owner {
			return true
		}
	}
	return false
}
