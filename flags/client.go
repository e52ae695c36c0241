package flags

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"go.etcd.io/etcd/client/pkg/v3/transport"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// PromptFunc asks the person at the terminal for a secret (no echo) and returns it.
type PromptFunc func(prompt string) (string, error)

// SRVLookup looks up SRV records, with the signature of net.LookupSRV (tests pass a fake).
type SRVLookup func(service, proto, name string) (cname string, addrs []*net.SRV, err error)

// DiscoveryError is a failed DNS SRV discovery (-d). Upstream ends with exit code 1 for it,
// unlike the other configuration errors (128).
type DiscoveryError struct{ Err error }

func (e *DiscoveryError) Error() string { return e.Err.Error() }
func (e *DiscoveryError) Unwrap() error { return e.Err }

// ClientOptions are the collaborators of ClientConfigWith.
type ClientOptions struct {
	Logger *zap.Logger // used when --debug is set
	Prompt PromptFunc  // asks for the password when --user has none
	Warn   io.Writer   // receives "ignoring discovered insecure endpoint" notices; may be nil
	Lookup SRVLookup   // SRV resolver for -d; net.LookupSRV when nil
}

// ClientConfig turns the global options into a clientv3.Config. The logger is zap.NewNop unless
// --debug is set (then lg is used). prompt is used when --user has no password.
func (g *Global) ClientConfig(lg *zap.Logger, prompt PromptFunc) (*clientv3.Config, error) {
	return g.ClientConfigWith(ClientOptions{Logger: lg, Prompt: prompt})
}

// ClientConfigWith is ClientConfig with every collaborator explicit. The steps run in upstream's
// order: endpoints (SRV discovery), credentials (which may prompt), then TLS files.
//
// Credentials follow upstream: a JWT (--auth-jwt-token) wins over --user and --password; with
// --password, --user is the whole user name; otherwise --user is split at its first colon and,
// when it has none, the password is asked for. An empty user name or password means no
// authentication at all (the server then answers "user name is empty").
func (g *Global) ClientConfigWith(o ClientOptions) (*clientv3.Config, error) {
	cfg, err := g.ClientBaseWith(o)
	if err != nil {
		return nil, err
	}
	if cfg.TLS, err = g.TLSConfig(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// ClientBaseWith is the first part of ClientConfigWith: endpoints (SRV discovery) and
// credentials (which may prompt), without the TLS files. Upstream settles these before it
// chooses the output format, and loads the TLS files after.
func (g *Global) ClientBaseWith(o ClientOptions) (*clientv3.Config, error) {
	eps, ignored, err := g.DiscoverEndpoints(o.Lookup)
	if err != nil {
		return nil, err
	}
	if o.Warn != nil {
		for _, ep := range ignored {
			fmt.Fprintf(o.Warn, "ignoring discovered insecure endpoint %q\n", ep)
		}
	}
	cfg := &clientv3.Config{
		Endpoints:            eps,
		DialTimeout:          g.DialTimeout,
		DialKeepAliveTime:    g.KeepAliveTime,
		DialKeepAliveTimeout: g.KeepAliveTimeout,
		MaxCallSendMsgSize:   g.MaxRequestBytes,
		MaxCallRecvMsgSize:   g.MaxRecvBytes,
		Logger:               zap.NewNop(),
	}
	if g.Debug && o.Logger != nil {
		cfg.Logger = o.Logger
	}

	switch {
	case g.AuthJWTToken != "":
		cfg.Token = g.AuthJWTToken
	case g.User == "":
	case g.Password != "":
		cfg.Username, cfg.Password = g.User, g.Password
	default:
		name, pass, hasPass := strings.Cut(g.User, ":")
		if !hasPass {
			if o.Prompt == nil {
				return nil, errors.New("password required")
			}
			if pass, err = o.Prompt("Password: "); err != nil {
				return nil, err
			}
		}
		cfg.Username, cfg.Password = name, pass
	}
	return cfg, nil
}

// UsesTLS reports whether the options ask for a secure transport. Secure SRV discovery (-d with
// --insecure-discovery=false) does too.
func (g *Global) UsesTLS() bool {
	return g.Cert != "" || g.Key != "" || g.CACert != "" || g.InsecureSkipTLSVerify || !g.InsecureTransport ||
		(g.DiscoverySRV != "" && !g.InsecureDiscovery)
}

// TLSConfig builds the client TLS configuration, or nil for plain-text transport. Missing,
// unreadable or mismatched files are reported with the file's error.
func (g *Global) TLSConfig() (*tls.Config, error) {
	if !g.UsesTLS() {
		return nil, nil
	}
	if (g.Cert == "") != (g.Key == "") {
		return nil, errors.New("KeyFile and CertFile must both be present[key: " + g.Key + ", cert: " + g.Cert + "]")
	}
	info := transport.TLSInfo{CertFile: g.Cert, KeyFile: g.Key, TrustedCAFile: g.CACert, InsecureSkipVerify: g.InsecureSkipTLSVerify}
	var (
		cfg *tls.Config
		err error
	)
	if info.Empty() && info.TrustedCAFile == "" {
		cfg = &tls.Config{MinVersion: tls.VersionTLS12}
	} else {
		cfg, err = info.ClientConfig()
		if err != nil {
			return nil, err
		}
	}
	if g.InsecureSkipTLSVerify {
		cfg.InsecureSkipVerify = true
	}
	return cfg, nil
}

// ResolveEndpoints returns --endpoints, or the endpoints found by DNS SRV discovery with -d.
func (g *Global) ResolveEndpoints() ([]string, error) {
	eps, _, err := g.DiscoverEndpoints(nil)
	return eps, err
}

// DiscoverEndpoints returns --endpoints, or with -d the endpoints published as SRV records
// _etcd-client-ssl[-name]._tcp.<domain> (https) and _etcd-client[-name]._tcp.<domain> (http).
// With --insecure-discovery=false the http ones are dropped (returned in ignored); when nothing
// is left, --endpoints is used. lookup defaults to net.LookupSRV.
func (g *Global) DiscoverEndpoints(lookup SRVLookup) (eps, ignored []string, err error) {
	if g.DiscoverySRV == "" {
		return g.Endpoints, nil, nil
	}
	if lookup == nil {
		lookup = net.LookupSRV
	}
	found := func(scheme string) ([]string, error) {
		service := "etcd-client"
		if scheme == "https" {
			service += "-ssl"
		}
		if g.DiscoverySRVName != "" {
			service += "-" + g.DiscoverySRVName
		}
		_, addrs, err := lookup(service, "tcp", g.DiscoverySRV)
		if err != nil {
			return nil, err
		}
		out := make([]string, 0, len(addrs))
		for _, a := range addrs {
			out = append(out, scheme+"://"+net.JoinHostPort(a.Target, fmt.Sprint(a.Port)))
		}
		return out, nil
	}
	secure, errS := found("https")
	plain, errP := found("http")
	if errS != nil && errP != nil {
		return nil, nil, &DiscoveryError{Err: fmt.Errorf("dns lookup errors: %w and %w", errS, errP)}
	}
	eps = append(secure, plain...)
	if !g.InsecureDiscovery {
		eps, ignored = secure, plain
	}
	if len(eps) == 0 {
		eps = g.Endpoints
	}
	return eps, ignored, nil
}
