package commands

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// usageFlagsAnchor is where the usage template lists a command's own flags.
const usageFlagsAnchor = "{{.LocalFlags.FlagUsages | trimTrailingWhitespaces}}"

// withAddedFlags makes c's usage list the flags named in added (ours, not upstream's) after
// upstream's own flags, each block aligned on its own: upstream's lines stay byte for byte what
// upstream prints, and ours are only added lines.
func withAddedFlags(c *cobra.Command, added ...string) {
	isAdded := map[string]bool{}
	for _, n := range added {
		isAdded[n] = true
	}
	c.SetUsageFunc(func(c *cobra.Command) error {
		upstream := pflag.NewFlagSet(c.Name(), pflag.ContinueOnError)
		ours := pflag.NewFlagSet(c.Name(), pflag.ContinueOnError)
		c.LocalFlags().VisitAll(func(fl *pflag.Flag) {
			if isAdded[fl.Name] {
				ours.AddFlag(fl)
			} else {
				upstream.AddFlag(fl)
			}
		})
		text := strings.TrimRight(upstream.FlagUsages(), " \n")
		if o := strings.TrimRight(ours.FlagUsages(), " \n"); o != "" {
			text += "\n" + o
		}
		tmpl := c.Root().UsageTemplate()
		tmpl = strings.Replace(tmpl, usageFlagsAnchor, strings.ReplaceAll(text, "{{", "{{`{{`}}"), 1)
		cc := *c // render with the adjusted template without changing c
		cc.SetUsageTemplate(tmpl)
		cc.SetUsageFunc(nil)
		return cc.UsageFunc()(&cc)
	})
}
