// Package loader writes many key-values to etcd fast: puts grouped into transactions of at most
// MaxTxnOps operations (and about MaxTxnBytes bytes), committed by Concurrency workers at once.
// `etcdctl import` writes through it, and cmd/loader uses it with Generate to create the data sets
// the benchmarks in bench/ run against.
//
// Order: every key is routed to one worker by a hash of the key, and a worker commits its batches
// one after the other, so when a key occurs more than once the last occurrence wins, as if the
// records were written one by one. A batch never holds the same key twice (etcd rejects such a
// transaction): the batch is committed first.
//
// Failures: the first batch is committed alone before the workers start, so a write that etcd
// refuses for every batch (a missing lease, --max-txn-ops above the server's limit, no permission)
// leaves nothing written. A later failure stops the workers; batches already committed stay.
package loader

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Defaults for Options' zero values.
const (
	DefaultMaxTxnOps   = 128     // etcd's own default --max-txn-ops
	DefaultMaxTxnBytes = 1 << 20 // below etcd's default --max-request-bytes (1.5 MiB)
	DefaultConcurrency = 8
)

// Record is one key-value to write.
type Record struct {
	Key, Value []byte
}

// Source yields the records to write, in order. Next returns io.EOF after the last one. The
// writer keeps the slices of a record until its batch is committed, so Next must not reuse them.
type Source interface {
	Next() (Record, error)
}

// Options tune Write. Zero values take the defaults above.
type Options struct {
	MaxTxnOps   int
	MaxTxnBytes int // a batch is cut before its keys and values pass this size (a bigger record goes alone)
	Concurrency int
	Lease       clientv3.LeaseID // attached to every put when non-zero
	TxnTimeout  time.Duration    // bound on each transaction; none when zero
	// Progress, when set, is called with the running total after every committed batch. It may be
	// called from several goroutines at once.
	Progress func(written int64)
}

func (o Options) withDefaults() Options {
	if o.MaxTxnOps <= 0 {
		o.MaxTxnOps = DefaultMaxTxnOps
	}
	if o.MaxTxnBytes <= 0 {
		o.MaxTxnBytes = DefaultMaxTxnBytes
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	return o
}

// Result says what Write did.
type Result struct {
	Written int64 // keys in committed transactions
	Txns    int64 // committed transactions
}

// BatchError is a transaction etcd refused (or that timed out); Written keys were committed before.
type BatchError struct {
	Written int64
	Err     error
}

func (e *BatchError) Error() string { return e.Err.Error() }
func (e *BatchError) Unwrap() error { return e.Err }

type batch struct {
	ops   []clientv3.Op
	keys  map[string]struct{}
	bytes int
}

func newBatch(n int) *batch {
	return &batch{ops: make([]clientv3.Op, 0, n), keys: make(map[string]struct{}, n)}
}

func (b *batch) fits(r Record, o *Options) bool {
	if len(b.ops) == 0 {
		return true
	}
	if len(b.ops) >= o.MaxTxnOps || b.bytes+len(r.Key)+len(r.Value) > o.MaxTxnBytes {
		return false
	}
	_, dup := b.keys[string(r.Key)]
	return !dup
}

func (b *batch) add(r Record, o *Options) {
	k := string(r.Key)
	b.keys[k] = struct{}{}
	b.bytes += len(r.Key) + len(r.Value)
	if o.Lease != clientv3.NoLease {
		b.ops = append(b.ops, clientv3.OpPut(k, string(r.Value), clientv3.WithLease(o.Lease)))
	} else {
		b.ops = append(b.ops, clientv3.OpPut(k, string(r.Value)))
	}
}

type writer struct {
	kv      clientv3.KV
	opts    Options
	written atomic.Int64
	txns    atomic.Int64
}

func (w *writer) commit(ctx context.Context, b *batch) error {
	if w.opts.TxnTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, w.opts.TxnTimeout)
		defer cancel()
	}
	if _, err := w.kv.Txn(ctx).Then(b.ops...).Commit(); err != nil {
		return err
	}
	n := w.written.Add(int64(len(b.ops)))
	w.txns.Add(1)
	if w.opts.Progress != nil {
		w.opts.Progress(n)
	}
	return nil
}

func (w *writer) result() Result { return Result{Written: w.written.Load(), Txns: w.txns.Load()} }

func (w *writer) fail(err error) error { return &BatchError{Written: w.written.Load(), Err: err} }

// Write puts every record of src through kv. A source error stops it and is returned as is; a
// refused transaction comes back as a *BatchError.
func Write(ctx context.Context, kv clientv3.KV, src Source, opts Options) (Result, error) {
	o := opts.withDefaults()
	w := &writer{kv: kv, opts: o}

	// The first batch goes alone: if etcd refuses it, nothing at all was written.
	first := newBatch(o.MaxTxnOps)
	var next *Record
	for {
		r, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return w.result(), err
		}
		if !first.fits(r, &o) {
			next = &r
			break
		}
		first.add(r, &o)
	}
	if len(first.ops) > 0 {
		if err := w.commit(ctx, first); err != nil {
			return w.result(), w.fail(err)
		}
	}
	if next == nil {
		return w.result(), nil
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		errOnce  sync.Once
		firstErr error
		wg       sync.WaitGroup
	)
	setErr := func(err error) {
		errOnce.Do(func() { firstErr = err; cancel() })
	}
	queues := make([]chan *batch, o.Concurrency)
	for i := range queues {
		queues[i] = make(chan *batch, 2)
		wg.Add(1)
		go func(q <-chan *batch) {
			defer wg.Done()
			for b := range q {
				if ctx.Err() != nil {
					continue // drain after a failure
				}
				if err := w.commit(ctx, b); err != nil {
					setErr(w.fail(err))
				}
			}
		}(queues[i])
	}
	building := make([]*batch, o.Concurrency)
	for i := range building {
		building[i] = newBatch(o.MaxTxnOps)
	}
	send := func(i int) bool {
		select {
		case queues[i] <- building[i]:
			building[i] = newBatch(o.MaxTxnOps)
			return true
		case <-ctx.Done():
			return false
		}
	}
	seed := maphash.MakeSeed()
	route := func(r Record) bool {
		i := int(maphash.Bytes(seed, r.Key) % uint64(o.Concurrency))
		if !building[i].fits(r, &o) && !send(i) {
			return false
		}
		building[i].add(r, &o)
		return true
	}

	var srcErr error
	ok := route(*next)
	for ok {
		r, err := src.Next()
		if errors.Is(err, io.EOF) {
			for i := range building {
				if len(building[i].ops) > 0 && !send(i) {
					break
				}
			}
			break
		}
		if err != nil {
			srcErr = err
			setErr(err)
			break
		}
		ok = route(r)
	}
	for _, q := range queues {
		close(q)
	}
	wg.Wait()
	if srcErr != nil {
		return w.result(), srcErr
	}
	if firstErr == nil && ctx.Err() != nil {
		// The caller's context ended (not a worker failure).
		firstErr = w.fail(ctx.Err())
	}
	return w.result(), firstErr
}

// Generate is a Source of n keys named prefix+index (zero-padded to 8 digits or more, so they sort
// in index order) whose values are size bytes: printable letters and digits, or any bytes when
// binary is set. The same arguments always give the same data.
func Generate(prefix string, n, size int, binary bool) Source {
	width := len(strconv.Itoa(n - 1))
	if width < 8 {
		width = 8
	}
	return &generator{prefix: prefix, n: n, size: size, binary: binary, width: width}
}

type generator struct {
	prefix     string
	n, size, i int
	width      int
	binary     bool
}

const genAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// Key returns the name of the i-th generated key.
func Key(prefix string, n, i int) string {
	width := len(strconv.Itoa(n - 1))
	if width < 8 {
		width = 8
	}
	return fmt.Sprintf("%s%0*d", prefix, width, i)
}

func (g *generator) Next() (Record, error) {
	if g.i >= g.n {
		return Record{}, io.EOF
	}
	key := fmt.Appendf(make([]byte, 0, len(g.prefix)+g.width), "%s%0*d", g.prefix, g.width, g.i)
	val := make([]byte, g.size)
	state := uint64(g.i)*0x9E3779B97F4A7C15 + 1
	for j := 0; j < len(val); j += 8 {
		// splitmix64: cheap, deterministic, good enough for filler data.
		state += 0x9E3779B97F4A7C15
		z := state
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
		z = (z ^ (z >> 27)) * 0x94D049BB133111EB
		z ^= z >> 31
		for k := j; k < j+8 && k < len(val); k++ {
			b := byte(z >> (8 * (k - j)))
			if g.binary {
				val[k] = b
			} else {
				val[k] = genAlphabet[int(b)%len(genAlphabet)]
			}
		}
	}
	g.i++
	return Record{Key: key, Value: val}, nil
}

// Value returns the value Generate gives the i-th key.
func Value(size int, binary bool, i int) []byte {
	g := &generator{n: i + 1, i: i, size: size, binary: binary, width: 8}
	r, _ := g.Next()
	return r.Value
}
