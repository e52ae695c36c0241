// Package server is the helper side of snapshot35: it performs a Request with etcd's snapshot
// library. Only cmd/etcdctl-snapshot35 links it.
package server

import (
	"encoding/json"
	"io"

	"github.com/etcdctl-rewritten/etcdctl/internal/snapshot35"
	bolt "go.etcd.io/bbolt"
	"go.etcd.io/etcd/etcdutl/v3/etcdutl"
	"go.etcd.io/etcd/etcdutl/v3/snapshot"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Serve reads one Request from in, performs it, writes the Response to out and returns the
// exit code (0 even when the operation failed: the error travels in the Response).
func Serve(in io.Reader, out, logs io.Writer) int {
	var req snapshot35.Request
	var resp snapshot35.Response
	if err := json.NewDecoder(in).Decode(&req); err != nil {
		resp.Error = err.Error()
	} else if err := do(req, &resp, logs); err != nil {
		resp.Error = err.Error()
	}
	if err := json.NewEncoder(out).Encode(&resp); err != nil {
		return 1
	}
	return 0
}

func do(req snapshot35.Request, resp *snapshot35.Response, logs io.Writer) error {
	switch req.Op {
	case "status":
		ds, err := snapshot.NewV3(zap.NewNop()).Status(req.SnapshotPath)
		if err != nil {
			return err
		}
		total, err := entries(req.SnapshotPath)
		if err != nil {
			return err
		}
		resp.Hash, resp.Revision, resp.TotalKey, resp.TotalSize = ds.Hash, ds.Revision, total, ds.TotalSize
		return nil
	case "defrag":
		return etcdutl.DefragData(req.DataDir)
	case "restore":
		lg := logger(logs)
		defer lg.Sync()
		return snapshot.NewV3(lg).Restore(snapshot.RestoreConfig{
			SnapshotPath:        req.SnapshotPath,
			Name:                req.Name,
			OutputDataDir:       req.OutputDataDir,
			OutputWALDir:        req.OutputWALDir,
			PeerURLs:            req.PeerURLs,
			InitialCluster:      req.InitialCluster,
			InitialClusterToken: req.InitialClusterToken,
			SkipHashCheck:       req.SkipHashCheck,
			InitialMmapSize:     req.InitialMmapSize,
			RevisionBump:        req.RevisionBump,
			MarkCompacted:       req.MarkCompacted,
		})
	}
	return &unknownOp{req.Op}
}

type unknownOp struct{ op string }

func (e *unknownOp) Error() string { return "unknown operation " + e.op }

// logger logs the library's progress as console lines (as etcdctl 3.5 does).
func logger(w io.Writer) *zap.Logger {
	enc := zap.NewProductionEncoderConfig()
	enc.EncodeTime = zapcore.ISO8601TimeEncoder
	return zap.New(zapcore.NewCore(zapcore.NewConsoleEncoder(enc), zapcore.AddSync(w), zapcore.InfoLevel), zap.AddCaller())
}

// entries counts the entries of all buckets of a snapshot file: 3.5's "total keys" (the
// library now counts live keys instead).
func entries(path string) (int, error) {
	db, err := bolt.Open(path, 0o400, &bolt.Options{ReadOnly: true})
	if err != nil {
		return 0, err
	}
	defer db.Close()
	n := 0
	err = db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
			return b.ForEach(func(_, _ []byte) error { n++; return nil })
		})
	})
	return n, err
}
