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

// tlsServerName is the name the client checks the server certificate against for ep: the
// client names a unix socket by its file name and any other endpoint by its host and port, and
// the TLS handshake then drops a port from that name when it has one (so the socket
// `unixs://localhost:20000` is checked as "localhost").
func tlsServerName(ep string) string {
	name := ep
	switch {
	case strings.HasPrefix(ep, "unix:") || strings.HasPrefix(ep, "unixs:"):
		_, p, _ := strings.Cut(ep, ":")
		name = path.Base(strings.TrimPrefix(p, "//"))
	case strings.Contains(ep, "://"):
		if u, err := url.Parse(ep); err == nil {
			name = u.Host
		}
	}
	if h, _, err := net.SplitHostPort(name); err == nil {
		return h
	}
	return name
}

// tlsProbeConn does a TLS handshake for ep over the connection raw, before deadline.
func tlsProbeConn(raw net.Conn, ep string, base *tls.Config, deadline time.Time) error {
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
