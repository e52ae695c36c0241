package cmd

import (
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
)

// Exit codes, the same numbers upstream etcdctl uses. Only this package knows them.
const (
	ExitSuccess       = 0
	ExitError         = 1
	ExitBadConnection = 2
	ExitInvalidInput  = 3
	ExitBadFeature    = 4
	ExitInterrupted   = 5
	ExitIO            = 6
	ExitBadArgs       = 128
	// exitPanic is the status a Go program ends with when it panics; upstream panics on some
	// inputs, and we end those with the same status and one error line.
	exitPanic = 2
)

// exitCode maps the kind of a failure to the exit code and says whether its text is to be
// reported (false when the command has reported it already).
func exitCode(err error) (code int, report bool) {
	switch k := cmdutil.Kind(err).(type) {
	case *cmdutil.BadArgsError:
		return ExitBadArgs, true
	case *cmdutil.InvalidInputError:
		return ExitInvalidInput, true
	case *cmdutil.BadFeatureError:
		return ExitBadFeature, true
	case *cmdutil.InterruptedError:
		return ExitInterrupted, true
	case *cmdutil.IOError:
		return ExitIO, true
	case *cmdutil.BadConnectionError:
		return ExitBadConnection, true
	case *cmdutil.UpstreamPanicError:
		return exitPanic, true
	case *cmdutil.ReportedError:
		return ExitError, false
	case *cmdutil.ExitStatusError:
		return k.Status, k.Err != nil
	}
	if isUnsupported(err) {
		return ExitBadFeature, true
	}
	return ExitError, true // general failures, refused and unreachable endpoints, TLS handshakes
}
