// Package cmdutil holds what every command shares: the factory of dependencies and coded errors.
package cmdutil

import (
	"errors"
	"fmt"
)

// Exit codes, the same numbers upstream etcdctl uses.
const (
	ExitSuccess       = 0
	ExitError         = 1
	ExitBadConnection = 2
	ExitInvalidInput  = 3
	ExitBadFeature    = 4
	ExitInterrupted   = 5
	ExitIO            = 6
	ExitBadArgs       = 128
)

// CodedError is an error that carries the process exit code it should end with.
type CodedError struct {
	Code int
	Err  error
	// Silent errors print nothing (the command already reported what went wrong).
	Silent bool
}

func (e *CodedError) Error() string { return e.Err.Error() }
func (e *CodedError) Unwrap() error { return e.Err }

// WithCode wraps err so that the process exits with code. A nil err stays nil.
func WithCode(code int, err error) error {
	if err == nil {
		return nil
	}
	var ee *CodedError
	if errors.As(err, &ee) {
		return err
	}
	return &CodedError{Code: code, Err: err}
}

// Errorf builds a coded error from a format.
func Errorf(code int, format string, a ...any) error {
	return &CodedError{Code: code, Err: fmt.Errorf(format, a...)}
}

// BadArgs is the error for a wrong argument count or shape (exit 128).
func BadArgs(format string, a ...any) error { return Errorf(ExitBadArgs, format, a...) }

// SilentExit ends the process with code without printing anything more.
func SilentExit(code int) error {
	return &CodedError{Code: code, Err: errors.New("silent exit"), Silent: true}
}

// BadFeature is the error for a flag value or feature the command does not support (exit 4).
func BadFeature(format string, a ...any) error { return Errorf(ExitBadFeature, format, a...) }
