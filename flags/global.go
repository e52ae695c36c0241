// Package flags defines etcdctl's global options, binds them to ETCDCTL_* environment variables
// and turns them into a clientv3.Config.
package flags

import (
	"time"

	"github.com/spf13/pflag"
)

// Output formats accepted by -w/--write-out.
const (
	FormatSimple   = "simple"
	FormatJSON     = "json"
	FormatFields   = "fields"
	FormatProtobuf = "protobuf"
	FormatTable    = "table"
)

// Global holds every global option. One value per process (or per in-process test run).
type Global struct {
	Endpoints        []string
	DialTimeout      time.Duration
	CommandTimeout   time.Duration
	KeepAliveTime    time.Duration
	KeepAliveTimeout time.Duration
	MaxRequestBytes  int
	MaxRecvBytes     int

	InsecureTransport     bool
	InsecureDiscovery     bool
	InsecureSkipTLSVerify bool
	Cert                  string
	Key                   string
	CACert                string

	AuthJWTToken string
	User         string
	Password     string

	DiscoverySRV     string
	DiscoverySRVName string

	WriteOut string
	Hex      bool
	Debug    bool

	// Context names the context of the config file to use (ours; see ApplyContext).
	Context string
}

// Register adds the global flags to fs with upstream's names, defaults and descriptions.
func (g *Global) Register(fs *pflag.FlagSet) {
	fs.StringSliceVar(&g.Endpoints, "endpoints", []string{"127.0.0.1:2379"}, "gRPC endpoints")
	fs.BoolVar(&g.Debug, "debug", false, "enable client-side debug logging")

	fs.StringVarP(&g.WriteOut, "write-out", "w", FormatSimple, "set the output format (fields, json, protobuf, simple, table)")
	fs.BoolVar(&g.Hex, "hex", false, "print byte strings as hex encoded strings")

	fs.DurationVar(&g.DialTimeout, "dial-timeout", 2*time.Second, "dial timeout for client connections")
	fs.DurationVar(&g.CommandTimeout, "command-timeout", 5*time.Second, "timeout for short running command (excluding dial timeout)")
	fs.DurationVar(&g.KeepAliveTime, "keepalive-time", 2*time.Second, "keepalive time for client connections")
	fs.DurationVar(&g.KeepAliveTimeout, "keepalive-timeout", 6*time.Second, "keepalive timeout for client connections")
	fs.IntVar(&g.MaxRequestBytes, "max-request-bytes", 0, "client-side request send limit in bytes (if 0, it defaults to 2.0 MiB (2 * 1024 * 1024).)")
	fs.IntVar(&g.MaxRecvBytes, "max-recv-bytes", 0, "client-side response receive limit in bytes (if 0, it defaults to \"math.MaxInt32\")")

	fs.BoolVar(&g.InsecureTransport, "insecure-transport", true, "disable transport security for client connections")
	fs.BoolVar(&g.InsecureDiscovery, "insecure-discovery", true, "accept insecure SRV records describing cluster endpoints")
	fs.BoolVar(&g.InsecureSkipTLSVerify, "insecure-skip-tls-verify", false, "skip server certificate verification (CAUTION: this option should be enabled only for testing purposes)")
	fs.StringVar(&g.Cert, "cert", "", "identify secure client using this TLS certificate file")
	fs.StringVar(&g.Key, "key", "", "identify secure client using this TLS key file")
	fs.StringVar(&g.CACert, "cacert", "", "verify certificates of TLS-enabled secure servers using this CA bundle")
	fs.StringVar(&g.AuthJWTToken, "auth-jwt-token", "", "JWT token used for authentication (if this option is used, --user and --password should not be set)")
	fs.StringVar(&g.User, "user", "", "username[:password] for authentication (prompt if password is not supplied)")
	fs.StringVar(&g.Password, "password", "", "password for authentication (if this option is used, --user option shouldn't include password)")
	fs.StringVarP(&g.DiscoverySRV, "discovery-srv", "d", "", "domain name to query for SRV records describing cluster endpoints")
	fs.StringVar(&g.DiscoverySRVName, "discovery-srv-name", "", "service name to query when using DNS discovery")
	fs.StringVar(&g.Context, "context", "", "use this context of the etcdctl config file (default: its current-context; see 'etcdctl config --help')")
}
