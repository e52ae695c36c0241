// Package cmdutil holds what every command shares: the factory of dependencies and the kinds of
// failure commands report.
package cmdutil

import (
	"errors"
	"fmt"
)

// The kinds of failure. A command returns one of these (or a plain error: a general failure) and
// never decides an exit code: only cmd's report maps kinds to exit codes and `Error:` lines.
// Each kind wraps the error that says what happened; its text is that error's.

// BadArgsError: a wrong argument count or shape.
type BadArgsError struct{ Err error }

// InvalidInputError: malformed input (stdin, files).
type InvalidInputError struct{ Err error }

// BadFeatureError: an unsupported flag value or feature.
type BadFeatureError struct{ Err error }

// InterruptedError: the command stopped part way (snapshot, watch canceled by the server).
type InterruptedError struct{ Err error }

// IOError: reading or writing local files or streams failed.
type IOError struct{ Err error }

// BadConnectionError: the client could not be set up (authentication, bad settings).
type BadConnectionError struct{ Err error }

// RefusedError: every endpoint refused the connection (the fail-fast probe); its text is the
// first endpoint's dial error.
type RefusedError struct{ Err error }

// UpstreamPanicError: an input on which every upstream release panics (Go's exit status 2 then);
// ours reports it as one error line with the same status.
type UpstreamPanicError struct{ Err error }

// FailedError: a general failure described by the command itself, shown as it is (a bare client
// error is shown as upstream shows client errors instead).
type FailedError struct{ Err error }

// ReportedError: a general failure that the command has already reported on stderr.
type ReportedError struct{}

// ExitStatusError: the process ends with a status decided outside etcdctl (the exit status of a
// command run by `lock`, 128+n after signal n). Err, when set, is reported.
type ExitStatusError struct {
	Status int
	Err    error
}

func (e *BadArgsError) Error() string       { return e.Err.Error() }
func (e *InvalidInputError) Error() string  { return e.Err.Error() }
func (e *BadFeatureError) Error() string    { return e.Err.Error() }
func (e *InterruptedError) Error() string   { return e.Err.Error() }
func (e *IOError) Error() string            { return e.Err.Error() }
func (e *BadConnectionError) Error() string { return e.Err.Error() }
func (e *RefusedError) Error() string       { return e.Err.Error() }
func (e *UpstreamPanicError) Error() string { return e.Err.Error() }
func (e *FailedError) Error() string        { return e.Err.Error() }
func (e *ReportedError) Error() string      { return "failed (reported above)" }
func (e *ExitStatusError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Status)
	}
	return e.Err.Error()
}

func (e *BadArgsError) Unwrap() error       { return e.Err }
func (e *InvalidInputError) Unwrap() error  { return e.Err }
func (e *BadFeatureError) Unwrap() error    { return e.Err }
func (e *InterruptedError) Unwrap() error   { return e.Err }
func (e *IOError) Unwrap() error            { return e.Err }
func (e *BadConnectionError) Unwrap() error { return e.Err }
func (e *RefusedError) Unwrap() error       { return e.Err }
func (e *ExitStatusError) Unwrap() error    { return e.Err }
func (e *UpstreamPanicError) Unwrap() error { return e.Err }
func (e *FailedError) Unwrap() error        { return e.Err }

// Each kind says what Unkind and Reword make of it, so a new kind cannot be left out of them:
// bare is the error it wraps (nil when the kind is itself the failure and stays), and withText
// is an error of the kind that ends the process the same way, with text as its text.
type kinded interface {
	bare() error
	withText(text string) error
}

func (e *BadArgsError) bare() error       { return e.Err }
func (e *InvalidInputError) bare() error  { return e.Err }
func (e *BadFeatureError) bare() error    { return e.Err }
func (e *InterruptedError) bare() error   { return e.Err }
func (e *IOError) bare() error            { return e.Err }
func (e *BadConnectionError) bare() error { return e.Err }
func (e *RefusedError) bare() error       { return e.Err }
func (e *FailedError) bare() error        { return e.Err }
func (*ReportedError) bare() error        { return nil }
func (*UpstreamPanicError) bare() error   { return nil }
func (*ExitStatusError) bare() error      { return nil }
func (*UnreachableError) bare() error     { return nil }
func (*TLSHandshakeError) bare() error    { return nil }

func (*BadArgsError) withText(t string) error       { return &BadArgsError{errors.New(t)} }
func (*InvalidInputError) withText(t string) error  { return &InvalidInputError{errors.New(t)} }
func (*BadFeatureError) withText(t string) error    { return &BadFeatureError{errors.New(t)} }
func (*InterruptedError) withText(t string) error   { return &InterruptedError{errors.New(t)} }
func (*IOError) withText(t string) error            { return &IOError{errors.New(t)} }
func (*BadConnectionError) withText(t string) error { return &BadConnectionError{errors.New(t)} }
func (*UpstreamPanicError) withText(t string) error { return &UpstreamPanicError{errors.New(t)} }
func (e *ExitStatusError) withText(t string) error {
	return &ExitStatusError{Status: e.Status, Err: errors.New(t)}
}
func (e *ReportedError) withText(string) error { return e } // already reported: nothing to word

// The kinds that end with the general exit code become a general failure with the new text.
func (*RefusedError) withText(t string) error      { return &FailedError{errors.New(t)} }
func (*FailedError) withText(t string) error       { return &FailedError{errors.New(t)} }
func (*UnreachableError) withText(t string) error  { return &FailedError{errors.New(t)} }
func (*TLSHandshakeError) withText(t string) error { return &FailedError{errors.New(t)} }

// Kind is the outermost kind in err's chain (nil for a general failure).
func Kind(err error) error {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if _, ok := e.(kinded); ok {
			return e
		}
	}
	return nil
}

// wrap gives err a kind unless it already has one (the first kind given stays).
func wrap[K error](err error, mk func(error) K) error {
	if err == nil {
		return nil
	}
	if Kind(err) != nil {
		return err
	}
	return mk(err)
}

// BadArgs is a BadArgsError with a formatted message.
func BadArgs(format string, a ...any) error { return &BadArgsError{fmt.Errorf(format, a...)} }

// BadFeature is a BadFeatureError with a formatted message.
func BadFeature(format string, a ...any) error { return &BadFeatureError{fmt.Errorf(format, a...)} }

// InvalidInput is an InvalidInputError with a formatted message.
func InvalidInput(format string, a ...any) error {
	return &InvalidInputError{fmt.Errorf(format, a...)}
}

// Interrupted is an InterruptedError with a formatted message.
func Interrupted(format string, a ...any) error { return &InterruptedError{fmt.Errorf(format, a...)} }

// Failed is a FailedError (unless err has a kind already).
func Failed(err error) error { return wrap(err, func(e error) *FailedError { return &FailedError{e} }) }

// AsBadArgs gives err the bad-arguments kind (unless it has a kind already).
func AsBadArgs(err error) error {
	return wrap(err, func(e error) *BadArgsError { return &BadArgsError{e} })
}

// AsInvalidInput gives err the invalid-input kind (unless it has a kind already).
func AsInvalidInput(err error) error {
	return wrap(err, func(e error) *InvalidInputError { return &InvalidInputError{e} })
}

// AsBadFeature gives err the bad-feature kind (unless it has a kind already).
func AsBadFeature(err error) error {
	return wrap(err, func(e error) *BadFeatureError { return &BadFeatureError{e} })
}

// AsInterrupted gives err the interrupted kind (unless it has a kind already).
func AsInterrupted(err error) error {
	return wrap(err, func(e error) *InterruptedError { return &InterruptedError{e} })
}

// AsIO gives err the I/O kind (unless it has a kind already).
func AsIO(err error) error { return wrap(err, func(e error) *IOError { return &IOError{e} }) }

// AsBadConnection gives err the bad-connection kind (unless it has a kind already).
func AsBadConnection(err error) error {
	return wrap(err, func(e error) *BadConnectionError { return &BadConnectionError{e} })
}

// Unkind drops err's outermost kind wrapper, keeping its text (a general failure then, unless
// the kind is one that is itself the failure, such as UnreachableError).
func Unkind(err error) error {
	if k, ok := Kind(err).(kinded); ok {
		if b := k.bare(); b != nil {
			return b
		}
	}
	return err
}

// Reword returns an error of err's kind (so the same exit code) whose text is text.
func Reword(err error, text string) error {
	if k, ok := Kind(err).(kinded); ok {
		return k.withText(text)
	}
	return errors.New(text)
}

// ProbeFailed reports whether err is the fail-fast probe's verdict that no endpoint can be
// reached (refused, unreachable, failed TLS handshake).
func ProbeFailed(err error) bool {
	switch Kind(err).(type) {
	case *RefusedError, *UnreachableError, *TLSHandshakeError:
		return true
	}
	return false
}
