package commands

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Parsing of `completion`, in-process: one known shell, and the tree it describes.
func TestNewCmdCompletion(t *testing.T) {
	cases := []seamCase[CompletionOptions]{
		{name: "no shell", errMsg: "accepts 1 arg(s), received 0"},
		{name: "two shells", argv: []string{"bash", "zsh"}, errMsg: "accepts 1 arg(s), received 2"},
		{name: "unknown shell", argv: []string{"tcsh"}, errMsg: `invalid argument "tcsh" for "etcdctl completion"`},
	}
	for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
		cases = append(cases, seamCase[CompletionOptions]{name: sh, argv: []string{sh}, want: func(t *testing.T, o *CompletionOptions) {
			assert.Equal(t, sh, o.Shell)
			assert.Equal(t, "etcdctl", o.Root.Name(), "the whole tree, from its root")
		}})
	}
	runSeamCases(t, newCmdCompletion, cases)
}
