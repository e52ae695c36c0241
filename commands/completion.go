package commands

import (
	"io"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/printer"
	"github.com/spf13/cobra"
)

// completionLong is the text of `etcdctl completion --help`, worded as upstream.
const completionLong = `To load completions:

Bash:

  $ source <(etcdctl completion bash)

  # To load completions for each session, execute once:
  # Linux:
  $ etcdctl completion bash > /etc/bash_completion.d/etcdctl
  # macOS:
  $ etcdctl completion bash > /usr/local/etc/bash_completion.d/etcdctl

Zsh:

  # If shell completion is not already enabled in your environment,
  # you will need to enable it.  You can execute the following once:

  $ echo "autoload -U compinit; compinit" >> ~/.zshrc

  # To load completions for each session, execute once:
  $ etcdctl completion zsh > "${fpath[1]}/_etcdctl"

  # You will need to start a new shell for this setup to take effect.

fish:

  $ etcdctl completion fish | source

  # To load completions for each session, execute once:
  $ etcdctl completion fish > ~/.config/fish/completions/etcdctl.fish

PowerShell:

  PS> etcdctl completion powershell | Out-String | Invoke-Expression

  # To load completions for every new session, run:
  PS> etcdctl completion powershell > etcdctl.ps1
  # and source this file from your PowerShell profile.
`

// CompletionOptions is what `completion` parsed: the shell, and the tree to describe.
type CompletionOptions struct {
	F     *cmdutil.Factory
	Shell string
	Root  *cobra.Command
}

// NewCmdCompletion writes the shell completion script for bash, zsh, fish or PowerShell, generated
// by cobra from the whole command tree (so dynamic completions registered on it are included).
func NewCmdCompletion(f *cmdutil.Factory) *cobra.Command { return newCmdCompletion(f, nil) }

// newCmdCompletion builds `completion`. runF, when not nil, receives the parsed options instead
// of runCompletion.
func newCmdCompletion(f *cmdutil.Factory, runF func(*CompletionOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:                   "completion [bash|zsh|fish|powershell]",
		Short:                 "Generate completion script",
		Long:                  completionLong,
		DisableFlagsInUseLine: true,
		ValidArgs:             []string{"bash", "zsh", "fish", "powershell"},
		Args:                  completionArgs,
		RunE: func(c *cobra.Command, args []string) error {
			opts := &CompletionOptions{F: f, Shell: args[0], Root: c.Root()}
			if runF != nil {
				return runF(opts)
			}
			return runCompletion(opts)
		},
	}
}

// completionArgs accepts exactly one known shell. Its errors are reported like flag errors
// (the error line followed by the command's usage), as upstream does.
func completionArgs(c *cobra.Command, args []string) error {
	if err := cobra.MatchAll(cobra.ExactArgs(1), cobra.OnlyValidArgs)(c, args); err != nil {
		return c.FlagErrorFunc()(c, err)
	}
	return nil
}

// runCompletion writes the script (the same whatever -w says).
func runCompletion(opts *CompletionOptions) error {
	root := opts.Root
	p := printer.Plain(opts.F.IO.Out)
	err := p.Script(func(out io.Writer) error {
		switch opts.Shell {
		case "bash":
			// cobra's second bash generator (upstream uses the first): it asks the program for
			// every candidate, keeps words with ':' and '=' whole (endpoints, keys) and shows
			// descriptions.
			return root.GenBashCompletionV2(out, true)
		case "zsh":
			return root.GenZshCompletion(out)
		case "fish":
			return root.GenFishCompletion(out, true)
		default: // powershell (Args admits nothing else)
			return root.GenPowerShellCompletionWithDesc(out)
		}
	})
	if err != nil {
		return err
	}
	return p.Flush()
}
