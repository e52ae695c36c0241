// Package stackreserve grows the main goroutine's stack once, before the other packages'
// initialisers run. Imported for its side effect by main only.
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
