package commands

import (
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Parsing and validation of `check perf`, in-process and without a cluster.
func TestNewCmdCheckPerf(t *testing.T) {
	runSeamCases(t, newCmdCheckPerf, []seamCase[CheckPerfOptions]{
		{name: "defaults", want: func(t *testing.T, o *CheckPerfOptions) {
			assert.Equal(t, "s", o.Load)
			assert.Equal(t, "/etcdctl-check-perf/", o.Prefix)
			assert.False(t, o.AutoCompact)
			assert.False(t, o.AutoDefrag)
			assert.Equal(t, checkPerfDuration, o.Duration)
			require.NotNil(t, o.F)
		}},
		{name: "every flag", argv: []string{"--load", "xl", "--prefix", "/p/", "--auto-compact", "--auto-defrag"}, want: func(t *testing.T, o *CheckPerfOptions) {
			assert.Equal(t, "xl", o.Load)
			assert.Equal(t, "/p/", o.Prefix)
			assert.True(t, o.AutoCompact)
			assert.True(t, o.AutoDefrag)
		}},
		{name: "each load", argv: []string{"--load=m"}, want: func(t *testing.T, o *CheckPerfOptions) { assert.Equal(t, "m", o.Load) }},
		{name: "load l", argv: []string{"--load=l"}, want: func(t *testing.T, o *CheckPerfOptions) { assert.Equal(t, "l", o.Load) }},
		{name: "unknown load", argv: []string{"--load", "q"}, errKind: &cmdutil.BadFeatureError{}, errMsg: "unknown load option q"},
		{name: "datascale's xxl is no load either", argv: []string{"--load", "xxl"}, errKind: &cmdutil.BadFeatureError{}, errMsg: "unknown load option xxl"},
		{name: "no duration flag", argv: []string{"--duration", "2s"}, errMsg: "unknown flag: --duration"},
	})
}

// Parsing and validation of `check datascale`, in-process and without a cluster.
func TestNewCmdCheckDatascale(t *testing.T) {
	runSeamCases(t, newCmdCheckDatascale, []seamCase[CheckDatascaleOptions]{
		{name: "defaults", want: func(t *testing.T, o *CheckDatascaleOptions) {
			assert.Equal(t, "s", o.Load)
			assert.Equal(t, "/etcdctl-check-datascale/", o.Prefix)
			assert.False(t, o.AutoCompact)
			assert.False(t, o.AutoDefrag)
		}},
		{name: "every flag", argv: []string{"--load", "l", "--prefix", "/d/", "--auto-compact", "--auto-defrag"}, want: func(t *testing.T, o *CheckDatascaleOptions) {
			assert.Equal(t, "l", o.Load)
			assert.Equal(t, "/d/", o.Prefix)
			assert.True(t, o.AutoCompact)
			assert.True(t, o.AutoDefrag)
		}},
		{name: "unknown load", argv: []string{"--load", "xxl"}, errKind: &cmdutil.BadFeatureError{}, errMsg: "unknown load option xxl"},
	})
}
