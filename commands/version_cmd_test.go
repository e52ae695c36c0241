package commands

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// `version` and `options` take nothing of their own: their arguments are ignored, as upstream.
func TestNewCmdVersion(t *testing.T) {
	runSeamCases(t, newCmdVersion, []seamCase[VersionOptions]{
		{name: "bare", want: func(t *testing.T, o *VersionOptions) { require.NotNil(t, o.F) }},
		{name: "arguments ignored", argv: []string{"x", "y"}, want: func(t *testing.T, o *VersionOptions) { require.NotNil(t, o.F) }},
		{name: "no flag of its own", argv: []string{"--short"}, errMsg: "unknown flag: --short"},
	})
	runSeamCases(t, newCmdOptions, []seamCase[OptionsOptions]{
		{name: "the root's global flags", argv: []string{"x"}, want: func(t *testing.T, o *OptionsOptions) {
			require.NotNil(t, o.Flags)
			assert.NotNil(t, o.Flags.Lookup("endpoints"))
			assert.NotNil(t, o.Flags.Lookup("write-out"))
		}},
	})
}
