package cmd

import (
	"fmt"
	"io"
	"strings"

	"github.com/etcdctl-rewritten/etcdctl/flags"
	"github.com/etcdctl-rewritten/etcdctl/internal/dialect"
	"github.com/spf13/pflag"
)

// debugSettings lists every global setting as its ETCDCTL_* variable on w (stderr), as upstream's
// --debug does, except that secrets are masked: passwords and tokens never reach a log.
func debugSettings(w io.Writer, fs *pflag.FlagSet) {
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Name == dialect.Flag {
			return // the dialect is no connection setting (upstream does not know it)
		}
		if (f.Name == "context" || f.Hidden) && !f.Changed {
			// ours (--context, --compat) and flags the dialect's release lacks: listed only
			// when used, so upstream's dump stays as it is
			return
		}
		fmt.Fprintf(w, "%s=%s\n", flags.EnvName(f.Name), redact(f.Name, f.Value.String()))
	})
}

func redact(name, value string) string {
	switch name {
	case "password", "auth-jwt-token":
		if value != "" {
			return "******"
		}
	case "user":
		if u, _, ok := strings.Cut(value, ":"); ok {
			return u + ":******"
		}
	}
	return value
}
