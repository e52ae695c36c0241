package cmdutil

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ProbeEndpoints dials every endpoint concurrently (plain TCP or unix socket, no TLS) and returns
// an error when every endpoint failed definitely: the first endpoint's dial error when it refused
// the connection, an UnreachableError for an unknown host or unreachable network. Endpoints that
// only time out are left to the command timeout, as upstream does, so a slow but reachable member
// keeps its full --command-timeout.
func ProbeEndpoints(eps []string, timeout time.Duration) error {
	return probe(eps, nil, timeout)
}

// Probe is ProbeEndpoints plus, where the client will use TLS for the endpoints (tlsCfg, https,
// unixs), a TLS handshake over the same connection: when every endpoint fails definitely and at
// least one failed its handshake (wrong CA, rejected client certificate...), it returns a
// *TLSHandshakeError at once.
func Probe(eps []string, tlsCfg *tls.Config, timeout time.Duration) error {
	if len(eps) == 0 {
		return nil
	}
	return probe(eps, tlsProbeConfig(eps[0], tlsCfg), timeout)
}

func probe(eps []string, tlsCfg *tls.Config, timeout time.Duration) error {
	if len(eps) == 0 {
		return nil
	}
	if timeout <= 0 || timeout > 2*time.Second {
		timeout = 2 * time.Second
	}
	dialTimeout := min(timeout, time.Second)
	errs := make([]error, len(eps))
	var wg sync.WaitGroup
	for i, ep := range eps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			network, addr := DialTarget(ep)
			c, err := net.DialTimeout(network, addr, dialTimeout)
			if err != nil {
				errs[i] = err
				return
			}
			defer c.Close()
			if tlsCfg != nil {
				errs[i] = tlsProbeConn(c, ep, tlsCfg, start.Add(timeout))
			}
		}()
	}
	wg.Wait()
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
