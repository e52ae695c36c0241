package iostreams

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// Progress is a one-line status on stderr, redrawn in place ("\r", erase the line, the text).
// It is drawn only when stderr is a terminal; on any other stderr every method does nothing, so
// that what a pipe or a file receives is unchanged. It is safe for concurrent use.
type Progress struct {
	w     io.Writer // nil when stderr is not a terminal
	every time.Duration

	mu    sync.Mutex
	last  time.Time
	shown bool
}

// eraseLine returns the cursor to the start of the line and clears it.
const eraseLine = "\r\x1b[K"

// Progress returns a progress line on stderr. Show draws at most once per every (0: each time).
func (s *IOStreams) Progress(every time.Duration) *Progress {
	p := &Progress{every: every}
	if s.ErrOutTTY {
		p.w = s.ErrOut
	}
	return p
}

// Active reports whether the line is drawn at all (stderr is a terminal).
func (p *Progress) Active() bool { return p.w != nil }

// Show redraws the line, unless it was drawn less than the interval ago.
func (p *Progress) Show(format string, a ...any) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if p.shown && now.Sub(p.last) < p.every {
		return
	}
	p.last = now
	p.draw(format, a...)
}

// Draw redraws the line now, whatever the interval.
func (p *Progress) Draw(format string, a ...any) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.last = time.Now()
	p.draw(format, a...)
}

func (p *Progress) draw(format string, a ...any) {
	p.shown = true
	fmt.Fprintf(p.w, eraseLine+format, a...)
}

// Clear erases the line if anything was drawn; the next result starts on a clean line.
func (p *Progress) Clear() {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		io.WriteString(p.w, eraseLine)
		p.shown = false
	}
}

// Keep ends the line with a newline, leaving its last state on the terminal.
func (p *Progress) Keep() {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		io.WriteString(p.w, "\n")
		p.shown = false
	}
}

// Run draws line() now and then every interval from a goroutine, until the returned stop is
// called; stop waits for the goroutine and clears the line. stop may be called more than once.
// Off a terminal nothing runs and line is never called.
func (p *Progress) Run(every time.Duration, line func() string) (stop func()) {
	if p.w == nil {
		return func() {}
	}
	quit := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			p.Draw("%s", line())
			select {
			case <-quit:
				return
			case <-t.C:
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(quit)
			<-finished
			p.Clear()
		})
	}
}
