package commands

import (
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
)

// endpointSeam puts one endpoint subcommand under its real parent (which carries --cluster), so
// that argv starts with the subcommand's name.
func endpointSeam[O any](sub func(*cmdutil.Factory, func(*O) error) *cobra.Command) func(*cmdutil.Factory, func(*O) error) *cobra.Command {
	return func(f *cmdutil.Factory, runF func(*O) error) *cobra.Command {
		return newCmdEndpointWith(sub(f, runF))
	}
}

// Parsing of `endpoint health|status|hashkv`, in-process and without a cluster: they take no
// check of their own before they connect (arguments are ignored, as upstream).
func TestNewCmdEndpoint(t *testing.T) {
	t.Run("health", func(t *testing.T) {
		runSeamCases(t, endpointSeam(newCmdEndpointHealth), []seamCase[EndpointHealthOptions]{
			{name: "defaults", argv: []string{"health"}, want: func(t *testing.T, o *EndpointHealthOptions) { assert.False(t, o.Cluster) }},
			{name: "cluster", argv: []string{"health", "--cluster"}, want: func(t *testing.T, o *EndpointHealthOptions) { assert.True(t, o.Cluster) }},
			{name: "cluster before the subcommand", argv: []string{"--cluster", "health", "x"}, want: func(t *testing.T, o *EndpointHealthOptions) { assert.True(t, o.Cluster) }},
			{name: "no rev flag", argv: []string{"health", "--rev", "1"}, errMsg: "unknown flag: --rev"},
		})
	})
	t.Run("status", func(t *testing.T) {
		runSeamCases(t, endpointSeam(newCmdEndpointStatus), []seamCase[EndpointStatusOptions]{
			{name: "defaults", argv: []string{"status"}, want: func(t *testing.T, o *EndpointStatusOptions) { assert.False(t, o.Cluster) }},
			{name: "cluster", argv: []string{"status", "--cluster=true"}, want: func(t *testing.T, o *EndpointStatusOptions) { assert.True(t, o.Cluster) }},
		})
	})
	t.Run("hashkv", func(t *testing.T) {
		runSeamCases(t, endpointSeam(newCmdEndpointHashKV), []seamCase[EndpointHashKVOptions]{
			{name: "defaults", argv: []string{"hashkv"}, want: func(t *testing.T, o *EndpointHashKVOptions) {
				assert.False(t, o.Cluster)
				assert.Zero(t, o.Rev)
			}},
			{name: "rev and cluster", argv: []string{"hashkv", "--rev", "12", "--cluster"}, want: func(t *testing.T, o *EndpointHashKVOptions) {
				assert.True(t, o.Cluster)
				assert.EqualValues(t, 12, o.Rev)
			}},
			{name: "bad rev", argv: []string{"hashkv", "--rev", "x"}, errMsg: `invalid argument "x" for "--rev" flag: strconv.ParseInt: parsing "x": invalid syntax`},
		})
	})
}
