package cmdutil

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"google.golang.org/grpc"

	"github.com/etcdctl-rewritten/etcdctl/internal/stackreserve"
)

// ProbeEndpoints dials every endpoint concurrently (plain TCP or unix socket, no TLS) and returns
// an error when every endpoint failed definitely: the first endpoint's dial error when it refused
// the connection, an UnreachableError for an unknown host or unreachable network. Endpoints that
// only time out are left to the command timeout, as upstream does, so a slow but reachable member
// keeps its full --command-timeout.
func ProbeEndpoints(eps []string, timeout time.Duration) error {
	return probe(eps, nil, timeout, nil)
}

// ProbeConfig probes cfg's endpoints before its client is made, within timeout. Where the
// client will use TLS (cfg.TLS, https, unixs) the probe makes the TLS handshake over the same
// connection: when every endpoint fails definitely and at least one failed its handshake (wrong
// CA, rejected client certificate...), it returns a *TLSHandshakeError at once. Where the client
// will speak plain text to host:port endpoints, the probe's connections become the client's
// (cfg gets a dialer that hands them over), so a command makes one TCP connection per member.
func ProbeConfig(cfg *clientv3.Config, timeout time.Duration, environ []string) error {
	kept, err := probeKeep(cfg.Endpoints, cfg.TLS, timeout, environ)
	if kept != nil {
		cfg.DialOptions = append(slices.Clip(cfg.DialOptions), grpc.WithContextDialer(kept.Dial))
	}
	return err
}

// probeKeep probes eps and returns the connections it kept (nil when it keeps none: TLS, unix
// sockets, a proxy in environ, whose connections the client makes its own way).
func probeKeep(eps []string, tlsCfg *tls.Config, timeout time.Duration, environ []string) (*KeptConns, error) {
	if len(eps) == 0 {
		return nil, nil
	}
	cfg := tlsProbeConfig(eps[0], tlsCfg)
	if cfg != nil || !plainTCP(eps) || proxied(environ) {
		return nil, probe(eps, cfg, timeout, nil)
	}
	k := &KeptConns{conns: map[string]net.Conn{}}
	if err := probe(eps, nil, timeout, k); err != nil {
		return nil, err
	}
	// A connection the client has not taken soon (it connects to every endpoint at once) is
	// closed rather than left open on the member.
	time.AfterFunc(2*time.Second, k.closeUnused)
	return k, nil
}

// KeptConns are the probe's connections, by address, waiting for the client.
type KeptConns struct {
	mu    sync.Mutex
	conns map[string]net.Conn
}

func (k *KeptConns) keep(addr string, c net.Conn) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, dup := k.conns[addr]; dup {
		return false
	}
	k.conns[addr] = c
	return true
}

// Dial is the client's dialer: the kept connection to addr the first time, a new one after
// (reconnects, other members).
func (k *KeptConns) Dial(ctx context.Context, addr string) (net.Conn, error) {
	k.mu.Lock()
	c := k.conns[addr]
	delete(k.conns, addr)
	k.mu.Unlock()
	if c != nil {
		return c, nil
	}
	var d net.Dialer
	return d.DialContext(ctx, "tcp", addr)
}

func (k *KeptConns) closeUnused() {
	k.mu.Lock()
	defer k.mu.Unlock()
	for addr, c := range k.conns {
		c.Close()
		delete(k.conns, addr)
	}
}

// plainTCP: every endpoint is host:port or http://host:port, which the client dials as the TCP
// address host:port.
func plainTCP(eps []string) bool {
	for _, ep := range eps {
		rest, ok := strings.CutPrefix(ep, "http://")
		if !ok && strings.Contains(ep, ":/") || strings.HasPrefix(ep, "unix") {
			return false
		}
		if ok {
			ep = rest
		}
		if strings.ContainsAny(ep, "/?#@") {
			return false
		}
	}
	return true
}

// proxied: a proxy variable is set, which gRPC's own dialer honours.
func proxied(environ []string) bool {
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(name) {
		case "HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "GRPC_PROXY":
			return true
		}
	}
	return false
}

// probe dials every endpoint (keeping the plain connections in kept, when not nil) and returns
// the verdict described at ProbeEndpoints and ProbeConfig.
func probe(eps []string, tlsCfg *tls.Config, timeout time.Duration, kept *KeptConns) error {
	if len(eps) == 0 {
		return nil
	}
	if timeout <= 0 || timeout > 2*time.Second {
		timeout = 2 * time.Second
	}
	dialTimeout := min(timeout, time.Second)
	errs := make([]error, len(eps))
	one := func(i int, ep string) {
		start := time.Now()
		network, addr := DialTarget(ep)
		c, err := net.DialTimeout(network, addr, dialTimeout)
		if err != nil {
			errs[i] = err
			return
		}
		if kept != nil && kept.keep(addr, c) {
			return
		}
		defer c.Close()
		if tlsCfg != nil {
			errs[i] = tlsProbeConn(c, ep, tlsCfg, start.Add(timeout))
		}
	}
	if len(eps) == 1 {
		// One endpoint is dialled on the caller's goroutine: a new goroutine would grow its
		// small stack through the dial and walk the runtime's tables doing it.
		one(0, eps[0])
	} else {
		var wg sync.WaitGroup
		for i, ep := range eps {
			wg.Go(func() {
				stackreserve.Goroutine()
				one(i, ep)
			})
		}
		wg.Wait()
	}
	var handshake *TLSHandshakeError
	for i, err := range errs {
		switch {
		case err == nil:
			return nil
		case definiteRefusal(err):
		case tlsCfg != nil && tlsDefinite(err):
			if handshake == nil {
				handshake = &TLSHandshakeError{Endpoint: eps[i], Err: err}
			}
		default:
			return nil // slow or unclear: leave it to the command timeout
		}
	}
	switch {
	case handshake != nil:
		return handshake
	case refused(errs[0]):
		// The seed's guide line: `dial tcp 127.0.0.1:2379: connect: connection refused`.
		return &RefusedError{errs[0]}
	}
	// Unknown host or unreachable network: fail as fast, but keep upstream's first line
	// (scripts look for it) and say why on the next.
	return &UnreachableError{Err: errs[0]}
}

// UnreachableError reports endpoints that cannot be reached at all (unknown host, no route).
// Its first line is upstream's `context deadline exceeded`; the second gives the reason.
type UnreachableError struct{ Err error }

func (e *UnreachableError) Error() string {
	return context.DeadlineExceeded.Error() + "\n" + e.Err.Error()
}

// Unwrap makes errors.Is(err, context.DeadlineExceeded) hold, like upstream's error.
func (e *UnreachableError) Unwrap() []error { return []error{context.DeadlineExceeded, e.Err} }

func refused(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ENOENT)
}

// DialTarget splits an etcd endpoint (host:port, http://, https://, unix://, unixs://) into a
// network and an address for net.Dial.
func DialTarget(ep string) (network, addr string) {
	switch {
	case strings.HasPrefix(ep, "unix://"):
		return "unix", strings.TrimPrefix(ep, "unix://")
	case strings.HasPrefix(ep, "unixs://"):
		return "unix", strings.TrimPrefix(ep, "unixs://")
	case strings.HasPrefix(ep, "unix:"):
		return "unix", strings.TrimPrefix(ep, "unix:")
	case strings.HasPrefix(ep, "unixs:"):
		return "unix", strings.TrimPrefix(ep, "unixs:")
	}
	addr = ep
	if i := strings.Index(addr, "://"); i >= 0 {
		addr = addr[i+3:]
	}
	if i := strings.IndexByte(addr, '/'); i >= 0 {
		addr = addr[:i]
	}
	return "tcp", addr
}

func definiteRefusal(err error) bool {
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ENETUNREACH) ||
		errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ENOENT) {
		return true
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		return true
	}
	return false
}
