package cmd

import (
	"errors"
	"fmt"
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/stretchr/testify/assert"
)

// Every kind, reworded (as a dialect rewords a message), ends the process as before with the
// new text; unkinded, it keeps its text.
func TestRewordKeepsTheExitCode(t *testing.T) {
	inner := errors.New("inner")
	kinds := []error{
		&cmdutil.BadArgsError{Err: inner}, &cmdutil.InvalidInputError{Err: inner},
		&cmdutil.BadFeatureError{Err: inner}, &cmdutil.InterruptedError{Err: inner},
		&cmdutil.IOError{Err: inner}, &cmdutil.BadConnectionError{Err: inner},
		&cmdutil.RefusedError{Err: inner}, &cmdutil.UpstreamPanicError{Err: inner},
		&cmdutil.FailedError{Err: inner}, &cmdutil.ReportedError{},
		&cmdutil.ExitStatusError{Status: 7, Err: inner}, &cmdutil.UnreachableError{Err: inner},
		&cmdutil.TLSHandshakeError{Endpoint: "e", Err: inner}, inner,
	}
	for _, k := range kinds {
		for _, err := range []error{k, fmt.Errorf("wrapped: %w", k)} {
			code, report := exitCode(err)
			re := cmdutil.Reword(err, "new text")
			code2, report2 := exitCode(re)
			assert.Equal(t, code, code2, "%T", k)
			assert.Equal(t, report, report2, "%T", k)
			if report2 {
				assert.Equal(t, "new text", re.Error(), "%T", k)
			}
			assert.NotEmpty(t, cmdutil.Unkind(err).Error(), "%T", k)
		}
	}
	assert.Equal(t, inner, cmdutil.Unkind(&cmdutil.BadArgsError{Err: inner}))
	assert.Equal(t, inner, cmdutil.Unkind(&cmdutil.RefusedError{Err: inner}))
	u := &cmdutil.UnreachableError{Err: inner}
	assert.Equal(t, error(u), cmdutil.Unkind(u), "an unreachable endpoint stays that failure")
}
