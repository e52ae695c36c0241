package commands

import (
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/stretchr/testify/assert"
)

// Parsing and validation of the `config` verbs, in-process, without a cluster or a config file.
func TestNewCmdConfig(t *testing.T) {
	t.Run("current-context", func(t *testing.T) {
		runSeamCases(t, newCmdConfigCurrentContext, []seamCase[ConfigCurrentContextOptions]{
			{name: "bare", want: func(t *testing.T, o *ConfigCurrentContextOptions) { assert.NotNil(t, o.F) }},
			{name: "an argument", argv: []string{"x"}, errKind: &cmdutil.BadArgsError{}, errMsg: "current-context takes no arguments"},
		})
	})
	t.Run("get-contexts", func(t *testing.T) {
		runSeamCases(t, newCmdConfigGetContexts, []seamCase[ConfigGetContextsOptions]{
			{name: "all", want: func(t *testing.T, o *ConfigGetContextsOptions) { assert.Empty(t, o.Names) }},
			{name: "some", argv: []string{"a", "b"}, want: func(t *testing.T, o *ConfigGetContextsOptions) { assert.Equal(t, []string{"a", "b"}, o.Names) }},
		})
	})
	t.Run("use-context", func(t *testing.T) {
		runSeamCases(t, newCmdConfigUseContext, []seamCase[ConfigUseContextOptions]{
			{name: "name", argv: []string{"prod"}, want: func(t *testing.T, o *ConfigUseContextOptions) { assert.Equal(t, "prod", o.Name) }},
			{name: "no name", errKind: &cmdutil.BadArgsError{}, errMsg: "use-context needs one argument: the context name"},
			{name: "two names", argv: []string{"a", "b"}, errKind: &cmdutil.BadArgsError{}, errMsg: "use-context needs one argument: the context name"},
		})
	})
	t.Run("delete-context", func(t *testing.T) {
		runSeamCases(t, newCmdConfigDeleteContext, []seamCase[ConfigDeleteContextOptions]{
			{name: "name", argv: []string{"old"}, want: func(t *testing.T, o *ConfigDeleteContextOptions) { assert.Equal(t, "old", o.Name) }},
			{name: "no name", errKind: &cmdutil.BadArgsError{}, errMsg: "delete-context needs one argument: the context name"},
		})
	})
	t.Run("view", func(t *testing.T) {
		runSeamCases(t, newCmdConfigView, []seamCase[ConfigViewOptions]{
			{name: "bare", want: func(t *testing.T, o *ConfigViewOptions) { assert.NotNil(t, o.F) }},
			{name: "an argument", argv: []string{"x"}, errKind: &cmdutil.BadArgsError{}, errMsg: "view takes no arguments"},
		})
	})
	t.Run("set-context", func(t *testing.T) {
		runSeamCases(t, newCmdConfigSetContext, []seamCase[ConfigSetContextOptions]{
			{name: "only the settings given", argv: []string{"prod", "--endpoints", "a:1,b:2", "--user=", "--insecure-transport"},
				want: func(t *testing.T, o *ConfigSetContextOptions) {
					assert.Equal(t, "prod", o.Name)
					assert.Equal(t, map[string]string{"endpoints": "a:1,b:2", "user": "", "insecure-transport": "true"}, o.Values)
				}},
			{name: "nothing to set", argv: []string{"x"}, want: func(t *testing.T, o *ConfigSetContextOptions) { assert.Empty(t, o.Values) }},
			// Values are checked once the file is read (runConfigSetContext), as before.
			{name: "a bad value is not checked yet", argv: []string{"x", "--dial-timeout=zz"},
				want: func(t *testing.T, o *ConfigSetContextOptions) { assert.Equal(t, "zz", o.Values["dial-timeout"]) }},
			{name: "no name", errKind: &cmdutil.BadArgsError{}, errMsg: "set-context needs one argument: the context name"},
			{name: "two names", argv: []string{"a", "b"}, errKind: &cmdutil.BadArgsError{}, errMsg: "set-context needs one argument: the context name"},
			{name: "a password", argv: []string{"x", "--password=p"}, errKind: &cmdutil.BadArgsError{},
				errMsg: "a context holds no secret: use --password-file instead of --password"},
			{name: "a token", argv: []string{"x", "--auth-jwt-token=t"}, errKind: &cmdutil.BadArgsError{},
				errMsg: "a context holds no secret: use --auth-jwt-token-file instead of --auth-jwt-token"},
			{name: "arg count before secrets", argv: []string{"--password=p"}, errKind: &cmdutil.BadArgsError{}, errMsg: "set-context needs one argument: the context name"},
		})
	})
}
