// Command loader creates the benchmark data sets: n keys of size bytes under a prefix, written in
// batched transactions by concurrent workers (internal/loader). The data is deterministic: the
// same flags always write the same keys and values.
//
//	go run ./cmd/loader -endpoints 127.0.0.1:2379 -prefix /bench/get/ -n 200000 -size 1024
//
// Keys are prefix + a zero-padded index (8 digits or more); values are letters and digits, or any
// bytes with -binary. It prints one line: keys, bytes, time and keys per second (and, while it
// runs, its progress on stderr when that is a terminal).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/iostreams"
	"github.com/etcdctl-rewritten/etcdctl/internal/loader"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

func main() {
	endpoints := flag.String("endpoints", "127.0.0.1:2379", "comma-separated etcd client endpoints")
	prefix := flag.String("prefix", "/bench/", "prefix of every key")
	n := flag.Int("n", 100000, "number of keys")
	size := flag.Int("size", 1024, "bytes per value")
	binary := flag.Bool("binary", false, "random bytes instead of letters and digits")
	maxOps := flag.Int("max-txn-ops", loader.DefaultMaxTxnOps, "puts per transaction")
	conc := flag.Int("concurrency", loader.DefaultConcurrency, "transactions in flight")
	timeout := flag.Duration("txn-timeout", 30*time.Second, "timeout of each transaction")
	flag.Parse()
	if flag.NArg() != 0 || *n < 0 || *size < 0 {
		flag.Usage()
		os.Exit(2)
	}

	cli, err := clientv3.New(clientv3.Config{
		Endpoints:   strings.Split(*endpoints, ","),
		DialTimeout: 5 * time.Second,
		Logger:      zap.NewNop(),
	})
	if err != nil {
		fail(err)
	}
	defer cli.Close()

	// How far it has got, on stderr when that is a terminal (the streams' progress line).
	prog := iostreams.System().Progress(100 * time.Millisecond)
	start := time.Now()
	res, err := loader.Write(context.Background(), cli, loader.Generate(*prefix, *n, *size, *binary), loader.Options{
		MaxTxnOps: *maxOps, Concurrency: *conc, TxnTimeout: *timeout,
		Progress: func(done int64) { prog.Show("loaded %d/%d keys", done, *n) },
	})
	took := time.Since(start)
	prog.Clear()
	if err != nil {
		fail(fmt.Errorf("after %d keys: %w", res.Written, err))
	}
	fmt.Printf("loaded %d keys of %d bytes under %q in %d transactions, %.2fs, %.0f keys/s\n",
		res.Written, *size, *prefix, res.Txns, took.Seconds(), float64(res.Written)/took.Seconds())
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "loader:", err)
	os.Exit(1)
}
