// Command gendoc writes etcdctl's manual pages: `go run ./cmd/gendoc -dir man/man1` (make man).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/etcdctl-rewritten/etcdctl/cmd"
	"github.com/etcdctl-rewritten/etcdctl/commands"
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/gendoc"
	"github.com/etcdctl-rewritten/etcdctl/internal/iostreams"
)

func main() {
	dir := flag.String("dir", "man/man1", "folder to write the pages into")
	flag.Parse()
	f := cmdutil.NewFactory(iostreams.System(), nil)
	if err := gendoc.ManPages(cmd.NewRootCmd(f), *dir, commands.Version); err != nil {
		fmt.Fprintln(os.Stderr, "gendoc:", err)
		os.Exit(1)
	}
}
