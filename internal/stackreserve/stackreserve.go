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

// size is about the deepest the main goroutine goes in a command (measured: its stack reaches
// 64 KiB during `get`); the frame below plus what is already in use makes the runtime grow the
// stack to 64 KiB.
const size = 56 << 10

func init() { reserve(1) }

// reserve has a frame of size bytes: calling it makes the runtime grow the stack to fit.
//
//go:noinline
func reserve(n int) byte {
	var pad [size]byte
	pad[n] = byte(n)
	return pad[n/2]
}

// goroutineSize: a goroutine of ours that dials and asks the cluster (completion, the probe of
// several endpoints) reaches a 16 KiB stack.
const goroutineSize = 14 << 10

// Goroutine grows the calling goroutine's stack to 16 KiB. Called first thing in a goroutine
// that goes through a dial or a gRPC client, it replaces the three copies (2, 4, 8 to 16 KiB),
// each reading the tables of every frame on the stack by then, with one copy of two frames.
func Goroutine() { reserveGoroutine(1) }

//go:noinline
func reserveGoroutine(n int) byte {
	var pad [goroutineSize]byte
	pad[n] = byte(n)
	return pad[n/2]
}
