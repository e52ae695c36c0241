package cmd

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/dialect"
	"github.com/etcdctl-rewritten/etcdctl/internal/iostreams"
	"github.com/etcdctl-rewritten/etcdctl/printer"
	"github.com/spf13/cobra"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
)

// cobra's process-wide settings, set once when the program starts (never per run): upstream
// resolves unambiguous prefixes of verbs (`etcdctl ge k`).
func init() { cobra.EnablePrefixMatching = true }

// Main runs etcdctl with args (without the program name) and returns the process exit code.
func Main(args []string, streams *iostreams.IOStreams, environ []string) int {
	return MainAs("etcdctl", args, streams, environ)
}

// MainAs is Main for a program invoked as prog: a name ending in -3.5 or -3.6 starts in that
// release's dialect unless --compat or ETCDCTL_COMPAT says otherwise.
func MainAs(prog string, args []string, streams *iostreams.IOStreams, environ []string) int {
	return mainAs(prog, args, streams, environ, false)
}

// mainAs is MainAs; whole builds the whole tree whatever argv names (tests compare the two).
func mainAs(prog string, args []string, streams *iostreams.IOStreams, environ []string, whole bool) int {
	d, err := dialect.Select(prog, args, environ)
	if err != nil {
		errorLine(streams.ErrOut, streams, err.Error())
		return ExitError
	}
	if err, done := dialectAPI(d, args, environ, streams); done {
		return report(nil, err, streams)
	}
	out := bufio.NewWriterSize(streams.Out, 64*1024)
	s := *streams
	s.Out = out
	for _, kv := range environ {
		if strings.HasPrefix(kv, "NO_COLOR=") {
			s.NoColor = true
		}
	}
	f := cmdutil.NewFactory(&s, environ)
	f.Args = args
	f.Dialect = d
	root := newRootCmd(f, args, whole)
	root.SetArgs(args)
	root.SetOut(out)
	root.SetErr(streams.ErrOut)
	root.SetIn(streams.In)

	c, err := root.ExecuteC()
	flushErr := out.Flush()
	if err == nil && flushErr != nil {
		err = cmdutil.AsIO(flushErr)
	}
	s.Out = streams.Out // flushed: report writes to stderr only
	err = dialectError(d, err)
	code := -1
	if d.LegacyHelp {
		code = legacyReport(c, err, &s, d)
	}
	if code < 0 {
		code = report(c, err, &s)
	}
	if code != ExitSuccess && streams.ErrOutTTY {
		// On a terminal only: a one-line hint after connection errors (stdout and code unchanged).
		if h := ConnectionHint(err, f.Global.Endpoints); h != "" {
			fmt.Fprintln(streams.ErrOut, h)
		}
	}
	return code
}

// report writes the error line(s) for err and returns the exit code.
func report(c *cobra.Command, err error, streams *iostreams.IOStreams) int {
	if err == nil {
		return ExitSuccess
	}
	w := streams.ErrOut
	var fe *flagError
	if errors.As(err, &fe) {
		errorLine(w, streams, fe.err.Error())
		fmt.Fprintln(w, fe.cmd.UsageString())
		return ExitError
	}
	if cmdutil.Kind(err) != nil || isUnsupported(err) {
		code, show := exitCode(err)
		if show {
			errorLine(w, streams, err.Error())
		}
		return code
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "unknown command ") && c != nil {
		errorLine(w, streams, msg)
		fmt.Fprintf(w, "Run '%s --help' for usage.\n", c.CommandPath())
		return ExitError
	}
	errorLine(w, streams, ErrorText(err))
	return ExitError
}

func isUnsupported(err error) bool {
	var ue *printer.UnsupportedError
	return errors.As(err, &ue)
}

// ErrorText is the text upstream shows for a client or server error.
func ErrorText(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return context.DeadlineExceeded.Error()
	}
	if ev, ok := err.(rpctypes.EtcdError); ok {
		return ev.Error()
	}
	return err.Error()
}

func errorLine(w io.Writer, streams *iostreams.IOStreams, msg string) {
	if streams.ColorErrors() {
		fmt.Fprintf(w, "\x1b[31mError:\x1b[0m %s\n", msg)
		return
	}
	fmt.Fprintf(w, "Error: %s\n", msg)
}

// flagError marks a flag parsing error; it is reported with the command's usage, as upstream does.
type flagError struct {
	cmd *cobra.Command
	err error
}

func (e *flagError) Error() string { return e.err.Error() }

// warnUnknownEnv reports an unknown ETCDCTL_* variable as a log line on w (the same shape as
// upstream's log noise, so tools that filter logs filter it too).
func warnUnknownEnv(w io.Writer, kv string) {
	ts, _ := json.Marshal(time.Now().UTC().Format(time.RFC3339Nano))
	ev, _ := json.Marshal(kv)
	fmt.Fprintf(w, `{"level":"warn","ts":%s,"msg":"unrecognized environment variable","environment-variable":%s}`+"\n", ts, ev)
}

// Run is the process entry point used by main.go.
func Run() int {
	return MainAs(os.Args[0], os.Args[1:], iostreams.System(), os.Environ())
}
