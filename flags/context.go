package flags

import (
	"fmt"
	"os"
	"strings"

	"github.com/etcdctl-rewritten/etcdctl/internal/ctxconfig"
	"github.com/spf13/pflag"
)

// ApplyContext applies the settings of a named context of the config file (ctxconfig) to every
// global flag still unset, after the ETCDCTL_* variables: flag > variable > context > default.
// The context is --context / ETCDCTL_CONTEXT, else the file's current-context; with neither (or
// no file) nothing changes, at the cost of one failed open when there is no file.
//
// Credentials go together: when --user, --password or --auth-jwt-token (or their variables) are
// given, the context's user, password-file and auth-jwt-token-file are all left out. The
// password and token are read from their files here. ETCDCTL_COMMAND_TIMEOUT has no effect (as
// upstream), so it does not hide the context's command-timeout. It returns the name of the
// context applied ("" for none) and the file it comes from.
func ApplyContext(fs *pflag.FlagSet, g *Global, getenv func(string) string) (name, path string, err error) {
	path = ctxconfig.Path(getenv)
	cfg, err := ctxconfig.Load(path)
	if err != nil {
		return "", path, err
	}
	name = g.Context
	if name == "" {
		if cfg == nil || cfg.CurrentContext == "" {
			return "", path, nil
		}
		name = cfg.CurrentContext
	}
	if cfg == nil {
		if path == "" {
			return "", path, fmt.Errorf("context %q not found: no config file (set ETCDCTL_CONFIG or HOME)", name)
		}
		return "", path, fmt.Errorf("context %q not found: no config file %s", name, path)
	}
	c := cfg.Find(name)
	if c == nil {
		if g.Context == "" {
			return "", path, fmt.Errorf("%s: current-context %q is not defined", path, name)
		}
		known := "it has none"
		if len(cfg.Contexts) > 0 {
			known = "it has " + strings.Join(cfg.Names(), ", ")
		}
		return "", path, fmt.Errorf("context %q not found in %s (%s)", name, path, known)
	}
	changed := func(n string) bool {
		f := fs.Lookup(n)
		return f != nil && f.Changed
	}
	credsGiven := changed("user") || changed("password") || changed("auth-jwt-token")
	for _, s := range c.Settings {
		val := cfg.Resolve(s.Key, s.Value)
		switch s.Key {
		case "user":
			if credsGiven {
				continue
			}
		case "password-file", "auth-jwt-token-file":
			if credsGiven {
				continue
			}
			secret, err := readSecretFile(val)
			if err != nil {
				return "", path, fmt.Errorf("%s:%d: context %q: %s: %w", path, s.Line, name, s.Key, err)
			}
			if s.Key == "password-file" {
				g.Password = secret
			} else {
				g.AuthJWTToken = secret
			}
			continue
		case "command-timeout":
			if changed(s.Key) && getenv(EnvName(s.Key)) == "" {
				continue
			}
		default:
			if changed(s.Key) {
				continue
			}
		}
		if err := fs.Set(s.Key, val); err != nil {
			return "", path, fmt.Errorf("%s:%d: context %q: %s: %w", path, s.Line, name, s.Key, err)
		}
	}
	return name, path, nil
}

// readSecretFile reads a password or token file, without its trailing line ending.
func readSecretFile(name string) (string, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return "", err
	}
	s := strings.TrimRight(string(b), "\r\n")
	if s == "" {
		return "", fmt.Errorf("%s is empty", name)
	}
	return s, nil
}
