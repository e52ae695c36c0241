package commands

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
	"go.etcd.io/etcd/api/v3/mvccpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	"go.etcd.io/etcd/client/pkg/v3/transport"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/client/v3/mirror"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// MakeMirrorOptions is what `make-mirror` parsed and validated before it touches the
// environment, the printer or the clusters.
type MakeMirrorOptions struct {
	F *cmdutil.Factory

	Prefix       string
	DestPrefix   string
	NoDestPrefix bool
	MaxTxnOps    uint
	Rev          int64

	DestCACert, DestCert, DestKey string
	DestInsecureTransport         bool
	DestUser, DestPassword        string

	Dest string
	// Interval between progress lines (the count of mirrored keys): 30s as upstream. Not a flag
	// (upstream has none); tests shorten it through the runF seam.
	Interval time.Duration

	// ctx ends the mirror when it is done (nil: never; the process is stopped by a signal).
	// In-process tests set it.
	ctx context.Context
}

// mirrorProgressInterval is how often make-mirror prints the running count.
const mirrorProgressInterval = 30 * time.Second

// NewCmdMakeMirror is `etcdctl make-mirror [options] <destination>`.
func NewCmdMakeMirror(f *cmdutil.Factory) *cobra.Command { return newCmdMakeMirror(f, nil) }

// newCmdMakeMirror builds `make-mirror`. runF, when not nil, receives the parsed options instead
// of runMirror.
func newCmdMakeMirror(f *cmdutil.Factory, runF func(*MakeMirrorOptions) error) *cobra.Command {
	o := &MakeMirrorOptions{F: f, Interval: mirrorProgressInterval}
	c := &cobra.Command{
		Use:   "make-mirror [options] <destination>",
		Short: "Makes a mirror at the destination etcd cluster",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.BadArgs("make-mirror takes one destination argument")
			}
			if c.Flags().Changed("dest-prefix") && o.NoDestPrefix {
				return cmdutil.BadArgs("`--dest-prefix` and `--no-dest-prefix` cannot be set at the same time, choose one")
			}
			o.Dest = args[0]
			if runF != nil {
				return runF(o)
			}
			return runMirror(o)
		},
	}
	fl := c.Flags()
	fl.StringVar(&o.Prefix, "prefix", "", "Key-value prefix to mirror")
	fl.Int64Var(&o.Rev, "rev", 0, "Specify the kv revision to start to mirror")
	fl.UintVar(&o.MaxTxnOps, "max-txn-ops", 128, "Maximum number of operations permitted in a transaction during syncing updates.")
	fl.StringVar(&o.DestPrefix, "dest-prefix", "", "destination prefix to mirror a prefix to a different prefix in the destination cluster")
	fl.BoolVar(&o.NoDestPrefix, "no-dest-prefix", false, "mirror key-values to the root of the destination cluster")
	fl.StringVar(&o.DestCert, "dest-cert", "", "Identify secure client using this TLS certificate file for the destination cluster")
	fl.StringVar(&o.DestKey, "dest-key", "", "Identify secure client using this TLS key file")
	fl.StringVar(&o.DestCACert, "dest-cacert", "", "Verify certificates of TLS enabled secure servers using this CA bundle")
	fl.BoolVar(&o.DestInsecureTransport, "dest-insecure-transport", true, "Disable transport security for client connections")
	fl.StringVar(&o.DestUser, "dest-user", "", "Destination username[:password] for authentication (prompt if password is not supplied)")
	fl.StringVar(&o.DestPassword, "dest-password", "", "Destination password for authentication (if this option is used, --user option shouldn't include password)")
	completeFiles(c, "dest-cacert", "dest-cert", "dest-key")
	return c
}

// mirrorDestConfig builds the destination client's configuration from the --dest-* flags, with
// the global dial and keepalive settings.
func mirrorDestConfig(o *MakeMirrorOptions) (clientv3.Config, error) {
	g := o.F.Global
	cfg := clientv3.Config{
		Endpoints:            mirrorSplitEndpoints(o.Dest),
		DialTimeout:          g.DialTimeout,
		DialKeepAliveTime:    g.KeepAliveTime,
		DialKeepAliveTimeout: g.KeepAliveTimeout,
		MaxCallSendMsgSize:   g.MaxRequestBytes,
		MaxCallRecvMsgSize:   g.MaxRecvBytes,
		Logger:               o.F.Logger(),
	}
	if (o.DestCert == "") != (o.DestKey == "") {
		return cfg, cmdutil.BadArgs("KeyFile and CertFile must both be present[key: %s, cert: %s]", o.DestKey, o.DestCert)
	}
	if o.DestCert != "" || o.DestCACert != "" || !o.DestInsecureTransport {
		info := transport.TLSInfo{CertFile: o.DestCert, KeyFile: o.DestKey, TrustedCAFile: o.DestCACert}
		tlsCfg, err := info.ClientConfig()
		if err != nil {
			return cfg, cmdutil.AsBadArgs(err)
		}
		cfg.TLS = tlsCfg
	}
	if o.DestUser != "" {
		// As upstream (and as --user with --password): with --dest-password, --dest-user is the
		// whole user name, colons included.
		name, pass, hasPass := strings.Cut(o.DestUser, ":")
		if o.DestPassword != "" {
			name, pass, hasPass = o.DestUser, o.DestPassword, true
		}
		if !hasPass {
			if pass == "" {
				var err error
				if pass, err = o.F.Prompt("Password: "); err != nil {
					return cfg, cmdutil.AsBadArgs(err)
				}
			}
		}
		cfg.Username, cfg.Password = name, pass
	}
	return cfg, nil
}

// mirrorSplitEndpoints accepts one destination endpoint, or several separated by commas.
func mirrorSplitEndpoints(s string) []string {
	var eps []string
	for _, ep := range strings.Split(s, ",") {
		if ep = strings.TrimSpace(ep); ep != "" {
			eps = append(eps, ep)
		}
	}
	if len(eps) == 0 {
		return []string{s}
	}
	return eps
}

// mirrorKeyMapper turns a source key into its destination key.
type mirrorKeyMapper struct {
	prefix, dest string
	strip        bool
}

func (m mirrorKeyMapper) key(k []byte) string {
	if !m.strip {
		return string(k)
	}
	return m.dest + strings.TrimPrefix(string(k), m.prefix)
}

func runMirror(o *MakeMirrorOptions) error {
	f := o.F
	p, err := f.Printer()
	if err != nil {
		return err
	}
	dcfg, err := mirrorDestConfig(o)
	if err != nil {
		return err
	}
	src, err := f.Client()
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := f.NewClient(dcfg)
	if err != nil {
		return cmdutil.AsBadConnection(err)
	}
	defer dst.Close()

	km := mirrorKeyMapper{prefix: o.Prefix}
	switch {
	case o.NoDestPrefix:
		km.strip = true
	case o.DestPrefix != "":
		km.strip, km.dest = true, o.DestPrefix
	}

	base := o.ctx
	if base == nil {
		base = context.Background()
	}
	ctx, cancel := context.WithCancel(base)
	defer cancel()

	var total atomic.Int64
	done := make(chan struct{})
	var wg sync.WaitGroup
	defer func() { close(done); wg.Wait() }()
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(o.Interval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				p.MirrorCount(total.Load())
				p.Flush()
			}
		}
	}()

	w := &mirrorWriter{cli: dst, max: int(o.MaxTxnOps), timeout: f.Global.CommandTimeout}
	var wch clientv3.WatchChan
	if o.Rev == 0 {
		s := mirror.NewSyncer(src, o.Prefix, 0)
		rc, errc := s.SyncBase(ctx)
		for resp := range rc {
			for _, kv := range resp.Kvs {
				w.add(clientv3.OpPut(km.key(kv.Key), string(kv.Value)), kv.Key, len(kv.Key)+len(kv.Value))
			}
			n := len(resp.Kvs)
			if err := w.flushAll(ctx); err != nil {
				return err
			}
			total.Add(int64(n))
		}
		if err := <-errc; err != nil {
			return err
		}
		wch = s.SyncUpdates(ctx)
	} else {
		wch = src.Watch(ctx, o.Prefix, clientv3.WithPrefix(), clientv3.WithRev(o.Rev))
	}

	for wr := range wch {
		if err := wr.Err(); err != nil {
			return err
		}
		for _, ev := range wr.Events {
			switch ev.Type {
			case mvccpb.Event_PUT:
				w.add(clientv3.OpPut(km.key(ev.Kv.Key), string(ev.Kv.Value)), ev.Kv.Key, len(ev.Kv.Key)+len(ev.Kv.Value))
			case mvccpb.Event_DELETE:
				w.add(clientv3.OpDelete(km.key(ev.Kv.Key)), ev.Kv.Key, len(ev.Kv.Key))
			}
		}
		if err := w.flushAll(ctx); err != nil {
			return err
		}
		total.Add(int64(len(wr.Events)))
	}
	return errors.New("make-mirror: watch on the source cluster closed")
}

// mirrorWriter groups operations into transactions of at most max operations (0: no limit)
// without repeating a key in one transaction, and retries a transaction on transient errors
// (leader change, unavailable member) so that nothing is lost while the destination recovers.
type mirrorWriter struct {
	cli     *clientv3.Client
	max     int
	timeout time.Duration

	batches [][]clientv3.Op
	keys    map[string]struct{}
	bytes   int // payload of the last batch
}

// mirrorMaxTxnBytes keeps a transaction well under the default 2 MiB request limit (the base copy
// batches keys even with --max-txn-ops 0).
const mirrorMaxTxnBytes = 1 << 20

func (w *mirrorWriter) add(op clientv3.Op, key []byte, size int) {
	if w.keys == nil {
		w.keys = make(map[string]struct{})
	}
	n := len(w.batches)
	_, dup := w.keys[string(key)]
	if n == 0 || dup || (w.max > 0 && len(w.batches[n-1]) >= w.max) || (w.bytes+size > mirrorMaxTxnBytes && w.bytes > 0) {
		w.batches = append(w.batches, make([]clientv3.Op, 0, 16))
		clear(w.keys)
		w.bytes = 0
		n++
	}
	w.keys[string(key)] = struct{}{}
	w.bytes += size
	w.batches[n-1] = append(w.batches[n-1], op)
}

func (w *mirrorWriter) flushAll(ctx context.Context) error {
	for _, ops := range w.batches {
		if err := w.commit(ctx, ops); err != nil {
			return err
		}
	}
	w.batches = w.batches[:0]
	clear(w.keys)
	w.bytes = 0
	return nil
}

func (w *mirrorWriter) commit(ctx context.Context, ops []clientv3.Op) error {
	backoff := 50 * time.Millisecond
	for {
		tctx, cancel := context.WithTimeout(ctx, w.timeout)
		_, err := w.cli.Txn(tctx).Then(ops...).Commit()
		cancel()
		if err == nil || ctx.Err() != nil || !mirrorTransient(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		if backoff < time.Second {
			backoff *= 2
		}
	}
}

// mirrorTransient reports whether err is worth retrying: the destination is (for now)
// unavailable, leaderless, or did not answer in time.
func mirrorTransient(err error) bool {
	code := status.Code(err)
	var ee rpctypes.EtcdError
	if errors.As(err, &ee) {
		code = ee.Code() // leader changed, no leader, request timed out...: Unavailable
	}
	switch code {
	case codes.Unavailable, codes.DeadlineExceeded:
		return true
	}
	return errors.Is(err, context.DeadlineExceeded)
}
