package flags

import (
	"crypto/tls"
	"errors"
	"fmt"
	"strings"

	"go.etcd.io/etcd/client/pkg/v3/srv"
	"go.etcd.io/etcd/client/pkg/v3/transport"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// PromptFunc asks the person at the terminal for a secret (no echo) and returns it.
type PromptFunc func(prompt string) (string, error)

// ClientConfig turns the global options into a clientv3.Config. The logger is zap.NewNop unless
// --debug is set (then lg is used). prompt is used when --user has no password.
//
// Credentials follow upstream: a JWT (--auth-jwt-token) wins over --user and --password; with
// --password, --user is the whole user name; otherwise --user is split at its first colon and,
// when it has none, the password is asked for. An empty user name or password means no
// authentication at all (the server then answers "user name is empty").
func (g *Global) ClientConfig(lg *zap.Logger, prompt PromptFunc) (*clientv3.Config, error) {
	eps, err := g.ResolveEndpoints()
	if err != nil {
		return nil, err
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
	if g.Debug && lg != nil {
		cfg.Logger = lg
	}
	tlsCfg, err := g.TLSConfig()
	if err != nil {
		return nil, err
	}
	cfg.TLS = tlsCfg

	switch {
	case g.AuthJWTToken != "":
		cfg.Token = g.AuthJWTToken
	case g.User == "":
	case g.Password != "":
		cfg.Username, cfg.Password = g.User, g.Password
	default:
		name, pass, hasPass := strings.Cut(g.User, ":")
		if !hasPass {
			if prompt == nil {
				return nil, errors.New("password required")
			}
			if pass, err = prompt("Password: "); err != nil {
				return nil, err
			}
		}
		cfg.Username, cfg.Password = name, pass
	}
	return cfg, nil
}

// UsesTLS reports whether the options ask for a secure transport.
func (g *Global) UsesTLS() bool {
	return g.Cert != "" || g.Key != "" || g.CACert != "" || g.InsecureSkipTLSVerify || !g.InsecureTransport
}

// TLSConfig builds the client TLS configuration, or nil for plain-text transport.
func (g *Global) TLSConfig() (*tls.Config, error) {
	if !g.UsesTLS() {
		return nil, nil
	}
	if (g.Cert == "") != (g.Key == "") {
		if g.Cert == "" {
			return nil, errors.New("KeyFile and CertFile must both be present[key: " + g.Key + ", cert: " + g.Cert + "]")
		}
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
	if g.DiscoverySRV == "" {
		return g.Endpoints, nil
	}
	srvs, err := srv.GetClient("etcd-client", g.DiscoverySRV, g.DiscoverySRVName)
	if err != nil {
		return nil, err
	}
	eps := srvs.Endpoints
	if !g.InsecureDiscovery {
		eps = SecureOnly(eps)
	}
	if len(eps) == 0 {
		return nil, fmt.Errorf("no endpoints found for %s", g.DiscoverySRV)
	}
	return eps, nil
}

// SecureOnly keeps the https:// endpoints of eps.
func SecureOnly(eps []string) []string {
	var out []string
	for _, ep := range eps {
		if strings.HasPrefix(ep, "https://") {
			out = append(out, ep)
		}
	}
	return out
}
