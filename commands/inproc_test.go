package commands

import (
	"bufio"
	"bytes"
	"sync"
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/iostreams"
	"github.com/spf13/cobra"
)

// syncBuffer is a buffer one goroutine (a verb) writes while another (the test) reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// inprocRun runs a verb in-process through its seam: the real constructor parses argv (global
// flags included), adjust sets what no flag sets (a shorter duration, a context), and run, the
// verb's real runX, does the work. stdout is buffered as cmd.Main buffers it and flushed when run
// returns; both streams are written to out and errOut.
func inprocRun[O any](t *testing.T, newCmd func(*cmdutil.Factory, func(*O) error) *cobra.Command,
	out, errOut *syncBuffer, adjust func(*O), run func(*O) error, argv ...string) error {
	t.Helper()
	bw := bufio.NewWriter(out)
	streams := &iostreams.IOStreams{In: &bytes.Buffer{}, Out: bw, ErrOut: errOut}
	f := cmdutil.NewFactory(streams, nil)
	c := newCmd(f, func(o *O) error {
		if adjust != nil {
			adjust(o)
		}
		return run(o)
	})
	root := &cobra.Command{Use: "etcdctl", SilenceErrors: true, SilenceUsage: true}
	f.Global.Register(root.PersistentFlags())
	root.AddCommand(c)
	root.SetArgs(append([]string{c.Name()}, argv...))
	root.SetOut(bw)
	root.SetErr(errOut)
	_, err := root.ExecuteC()
	bw.Flush()
	return err
}
