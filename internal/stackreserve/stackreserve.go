// Package stackreserve grows the main goroutine's stack once, before the other packages'
// initialisers run (main imports it for that), and lets a goroutine of ours that goes deep do
// the same when it starts (Goroutine).
//
// A goroutine starts with a small stack and doubles it whenever a call would overflow it; each
// doubling copies the stack and, for every frame on it, reads the function's unwinding tables
// in the binary's pclntab. The deep initialisers of the protobuf and gRPC packages make the
// main goroutine double several times with dozens of frames on it, which touches (and maps) a
// few megabytes of tables a short command otherwise never reads. Grown here, while the stack
// holds three frames, the copy is cheap and the later initialisers and the command fit.
//
// The package imports nothing, so it is initialised before every package whose import path
// sorts after its own (Go initialises ready packages in import-path order), and that includes
// all of golang.org, google.golang.org and go.etcd.io.
package stackreserve

// mainPad is about the deepest the main goroutine goes in a command (measured: its stack
// reaches 64 KiB during `get`); this frame plus what is already in use makes the runtime grow
// the stack to 64 KiB.
type mainPad [56 << 10]byte

// goroutinePad: a goroutine of ours that dials and asks the cluster (completion, the probe of
// several endpoints) reaches a 16 KiB stack.
type goroutinePad [14 << 10]byte

func init() { reserve[mainPad](1) }

// Goroutine grows the calling goroutine's stack to 16 KiB. Called first thing in a goroutine
// that goes through a dial or a gRPC client, it replaces the three copies (2, 4, 8 to 16 KiB),
// each reading the tables of every frame on the stack by then, with one copy of two frames.
func Goroutine() { reserve[goroutinePad](1) }

// reserve has a frame the size of P: calling it makes the runtime grow the stack to fit. (Each
// array type is a shape of its own, so each instance has its own frame size.)
//
//go:noinline
func reserve[P mainPad | goroutinePad](n int) byte {
	var pad P
	pad[n] = byte(n)
	return pad[n/2]
}
