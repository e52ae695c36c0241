package flags

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"
)

// EnvPrefix is the prefix of the environment twins of the global flags.
const EnvPrefix = "ETCDCTL_"

// envAccepted are ETCDCTL_* variables that are not flags but are known, so they draw no warning.
var envAccepted = map[string]bool{
	"ETCDCTL_API":               true, // v3 is the only API; the variable is accepted for old scripts
	"ETCDCTL_WATCH_KEY":         true, // read by watch
	"ETCDCTL_WATCH_RANGE_END":   true, // read by watch
	"ETCDCTL_CONFIG":            true, // the config file of named contexts (ctxconfig)
	"ETCDCTL_SNAPSHOT35_HELPER": true, // where the helper of 3.5's snapshot file verbs is (internal/snapshot35)
}

// EnvName is the ETCDCTL_* variable for a flag name: --dial-timeout -> ETCDCTL_DIAL_TIMEOUT.
func EnvName(flag string) string {
	return EnvPrefix + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// ConflictError reports a setting given both as a flag and as its environment variable.
type ConflictError struct{ Var string }

func (e *ConflictError) Error() string {
	return fmt.Sprintf("conflicting environment variable %q is shadowed by corresponding command-line flag (either unset environment variable or disable flag)", e.Var)
}

// ApplyEnv sets every flag of fs that was not given on the command line from its ETCDCTL_*
// variable in environ. A flag given both ways is an error. Unknown ETCDCTL_* variables are
// reported to unknown (with their value; when unknown is non-nil) and otherwise ignored.
func ApplyEnv(fs *pflag.FlagSet, environ []string, unknown func(kv string)) error {
	known := map[string]*pflag.Flag{}
	fs.VisitAll(func(f *pflag.Flag) { known[EnvName(f.Name)] = f })
	for _, kv := range environ {
		if !strings.HasPrefix(kv, EnvPrefix) {
			continue
		}
		name, val, _ := strings.Cut(kv, "=")
		f, ok := known[name]
		if !ok {
			if !envAccepted[name] && unknown != nil {
				unknown(kv)
			}
			continue
		}
		if f.Changed {
			return &ConflictError{Var: name} // even when the variable is empty, as upstream
		}
		if val == "" {
			// Upstream leaves an empty variable unused and reports it as unrecognized.
			if unknown != nil {
				unknown(kv)
			}
			continue
		}
		// Like upstream, a value that does not parse is ignored and the flag keeps its default.
		_ = fs.Set(f.Name, val)
	}
	return nil
}
