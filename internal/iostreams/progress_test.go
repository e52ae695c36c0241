package iostreams

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Off a terminal, no method writes a byte (and Run never asks for its line).
func TestProgressSilentOffTerminal(t *testing.T) {
	s, _, _, errOut := Test()
	p := s.Progress(0)
	assert.False(t, p.Active())
	p.Show("a %d", 1)
	p.Draw("b")
	p.Keep()
	p.Clear()
	stop := p.Run(time.Millisecond, func() string { t.Error("line asked for off a terminal"); return "" })
	stop()
	assert.Empty(t, errOut.String())
}

// On a terminal: each draw returns to the start of the line and erases it; Clear erases once,
// and only after something was drawn; Keep ends the line.
func TestProgressOnTerminal(t *testing.T) {
	s, _, _, errOut := Test()
	s.ErrOutTTY = true
	p := s.Progress(0)
	require.True(t, p.Active())
	p.Clear()
	assert.Empty(t, errOut.String(), "nothing to clear yet")
	p.Show("n=%d", 1)
	p.Draw("n=%d", 2)
	p.Clear()
	p.Clear()
	assert.Equal(t, "\r\x1b[Kn=1\r\x1b[Kn=2\r\x1b[K", errOut.String())
	errOut.Reset()
	p.Draw("done")
	p.Keep()
	p.Clear()
	assert.Equal(t, "\r\x1b[Kdone\n", errOut.String(), "a kept line is not erased")
}

// Show draws the first time, then at most once per interval; Draw always draws.
func TestProgressShowThrottled(t *testing.T) {
	s, _, _, errOut := Test()
	s.ErrOutTTY = true
	p := s.Progress(time.Hour)
	p.Show("1")
	p.Show("2")
	p.Draw("3")
	p.Show("4")
	assert.Equal(t, "\r\x1b[K1\r\x1b[K3", errOut.String())
}

// Run draws at once and keeps redrawing until stop, which clears the line and may be repeated.
func TestProgressRun(t *testing.T) {
	s, _, _, errOut := Test()
	s.ErrOutTTY = true
	p := s.Progress(0)
	var calls int
	ch := make(chan int, 100)
	stop := p.Run(time.Millisecond, func() string { calls++; ch <- calls; return "tick" })
	deadline := time.After(10 * time.Second)
	for n := 0; n < 3; {
		select {
		case n = <-ch:
		case <-deadline:
			t.Fatal("Run did not redraw")
		}
	}
	stop()
	stop()
	out := errOut.String()
	assert.True(t, strings.HasPrefix(out, "\r\x1b[Ktick\r\x1b[Ktick"), out)
	assert.True(t, strings.HasSuffix(out, "tick\r\x1b[K"), "cleared once at the end: %q", out)
	assert.Equal(t, strings.Count(out, "tick")+1, strings.Count(out, "\r\x1b[K"))
}
