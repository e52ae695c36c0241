package printer

import (
	"bufio"
	"io"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// LockKey prints the range response of a lock's (or a leader's) key the way upstream shows a
// `get` result: key and value lines (simple), the response as JSON, protobuf bytes, or the
// fields listing. The table format is not supported.
func (p *Printer) LockKey(resp *pb.RangeResponse) error {
	return p.Get((*clientv3.GetResponse)(resp), false, false)
}

// LockSupported reports whether the lock key can be printed in the current format (upstream
// acquires the lock first and only then fails on an unsupported format).
func (p *Printer) LockSupported() bool { return p.Format != Table }

// CommandOutput is the stdout of a command run under the lock (`lock <name> <command>`): it goes
// through our buffered output and is flushed after every write, so it reaches the terminal as
// the command writes it.
func (p *Printer) CommandOutput() io.Writer { return flushWriter{p.w} }

// flushWriter flushes its buffer after every write.
type flushWriter struct{ w *bufio.Writer }

func (f flushWriter) Write(b []byte) (int, error) {
	n, err := f.w.Write(b)
	if err == nil {
		err = f.w.Flush()
	}
	return n, err
}
