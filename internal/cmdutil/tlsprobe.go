package cmdutil

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"
)

// TLSHandshakeError reports that no endpoint could be reached because the TLS handshake failed
// (unknown authority, rejected client certificate, server not speaking TLS...). Its first line is
// upstream's error (upstream only gives up when the command times out); the second line says why.
type TLSHandshakeError struct {
	Endpoint string
	Err      error
}

func (e *TLSHandshakeError) Error() string {
	return context.DeadlineExceeded.Error() + "\nTLS handshake with " + e.Endpoint + " failed: " + e.Err.Error()
}

// Unwrap makes errors.Is(err, context.DeadlineExceeded) hold, like upstream's error.
func (e *TLSHandshakeError) Unwrap() []error { return []error{context.DeadlineExceeded, e.Err} }

// tlsHTTP2Preface is the client connection preface of HTTP/2 followed by an empty SETTINGS frame.
const tlsHTTP2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00"

// TLSProbeEndpoints does a TLS handshake with every endpoint, concurrently, with the transport
// security the client would use for them (clientv3 chooses it from the first endpoint: https and
// unixs always use TLS, http never, a bare host:port when cfg is set). When every endpoint fails
// for a definite reason (a TLS failure, or a refused connection) and at least one failed in TLS,
// it returns a *TLSHandshakeError at once. Anything else (success, slowness) returns nil and is
// left to the client and the command timeout.
func TLSProbeEndpoints(eps []string, cfg *tls.Config, timeout time.Duration) error {
	if len(eps) == 0 {
		return nil
	}
	cfg = tlsProbeConfig(eps[0], cfg)
	if cfg == nil {
		return nil
	}
	if timeout <= 0 || timeout > 2*time.Second {
		timeout = 2 * time.Second
	}
	errs := make([]error, len(eps))
	var wg sync.WaitGroup
	for i, ep := range eps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = tlsProbeOne(ep, cfg, timeout)
		}()
	}
	wg.Wait()
	var first *TLSHandshakeError
	for i, err := range errs {
		switch {
		case err == nil:
			return nil
		case tlsDefinite(err):
			if first == nil {
				first = &TLSHandshakeError{Endpoint: eps[i], Err: err}
			}
		case definiteRefusal(err):
		default:
			return nil
		}
	}
	if first == nil {
		return nil
	}
	return first
}

// tlsProbeConfig is the TLS configuration clientv3 would use for the endpoints when the first
// one is ep, or nil for plain text.
func tlsProbeConfig(ep string, cfg *tls.Config) *tls.Config {
	scheme := ""
	if i := strings.Index(ep, "://"); i >= 0 {
		scheme = ep[:i]
	} else if strings.HasPrefix(ep, "unixs:") {
		scheme = "unixs"
	} else if strings.HasPrefix(ep, "unix:") {
		scheme = "unix"
	}
	switch scheme {
	case "http":
		return nil
	case "https", "unixs":
		if cfg == nil {
			return &tls.Config{}
		}
	}
	return cfg
}

// tlsServerName is the name grpc checks the server certificate against for ep.
func tlsServerName(ep string) string {
	if strings.HasPrefix(ep, "unix:") || strings.HasPrefix(ep, "unixs:") {
		_, p, _ := strings.Cut(ep, ":")
		return path.Base(strings.TrimPrefix(p, "//"))
	}
	host := ep
	if strings.Contains(ep, "://") {
		if u, err := url.Parse(ep); err == nil {
			host = u.Host
		}
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return host
}

func tlsProbeOne(ep string, base *tls.Config, timeout time.Duration) error {
	network, addr := DialTarget(ep)
	deadline := time.Now().Add(timeout)
	raw, err := net.DialTimeout(network, addr, timeout)
	if err != nil {
		return err
	}
	defer raw.Close()
	raw.SetDeadline(deadline)
	cfg := base.Clone()
	if cfg.ServerName == "" {
		cfg.ServerName = tlsServerName(ep)
	}
	cfg.NextProtos = []string{"h2"}
	conn := tls.Client(raw, cfg)
	if err := conn.Handshake(); err != nil {
		return err
	}
	// With TLS 1.3 the server judges the client certificate after the client has finished its
	// side of the handshake: a rejection only shows on the first read.
	if _, err := conn.Write([]byte(tlsHTTP2Preface)); err != nil {
		return err
	}
	var b [1]byte
	if _, err := conn.Read(b[:]); err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return nil
		}
		return err
	}
	return nil
}

// tlsDefinite reports whether err is a TLS failure that retrying will not fix.
func tlsDefinite(err error) bool {
	var (
		verr *tls.CertificateVerificationError
		uerr x509.UnknownAuthorityError
		herr x509.HostnameError
		cerr x509.CertificateInvalidError
		rerr tls.RecordHeaderError
		aerr tls.AlertError
		oerr *net.OpError
	)
	switch {
	case errors.As(err, &verr), errors.As(err, &uerr), errors.As(err, &herr), errors.As(err, &cerr),
		errors.As(err, &rerr), errors.As(err, &aerr):
		return true
	case errors.As(err, &oerr) && oerr.Op == "remote error":
		return true
	}
	return strings.HasPrefix(err.Error(), "tls: ")
}
