// Package gendoc writes etcdctl's manual pages (one per command, roff, section 1) from the
// command tree with cobra/doc, so the pages always list the flags the commands really have.
package gendoc

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// ManSection is the manual section of the pages.
const ManSection = "1"

// ManPages writes one page per available command of root into dir (created when missing), named
// as cobra/doc names them: etcdctl.1, etcdctl-get.1, etcdctl-lease-grant.1, ... The page date
// follows SOURCE_DATE_EPOCH when set (reproducible builds), else today.
func ManPages(root *cobra.Command, dir, version string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	root.DisableAutoGenTag = true
	header := &doc.GenManHeader{
		Title:   "ETCDCTL",
		Section: ManSection,
		Source:  "etcdctl " + version,
		Manual:  "etcdctl manual",
	}
	if err := doc.GenManTreeFromOpts(root, doc.GenManTreeOptions{Header: header, Path: dir, CommandSeparator: "-"}); err != nil {
		return fmt.Errorf("man pages: %w", err)
	}
	return nil
}

// ManPageName is the file name of the page of c.
func ManPageName(c *cobra.Command) string {
	return strings.ReplaceAll(c.CommandPath(), " ", "-") + "." + ManSection
}
