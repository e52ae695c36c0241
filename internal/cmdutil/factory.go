package cmdutil

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/flags"
	"github.com/etcdctl-rewritten/etcdctl/internal/dialect"
	"github.com/etcdctl-rewritten/etcdctl/internal/iostreams"
	"github.com/etcdctl-rewritten/etcdctl/printer"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
	"golang.org/x/term"
)

// Factory hands every command its dependencies. The root command builds one per run.
type Factory struct {
	IO      *iostreams.IOStreams
	Global  *flags.Global
	Environ []string
	// Args is the command line (without the program name), for the few checks upstream makes
	// on the raw words.
	Args []string
	// Dialect is the upstream release this run behaves as (chosen before the tree is built).
	Dialect *dialect.Dialect

	// NewClient builds a client from a config; tests may replace it. Defaults to clientv3.New.
	NewClient func(cfg clientv3.Config) (*clientv3.Client, error)
	// Pause waits d (the grace period upstream gives a person to interrupt a range delete);
	// in-process tests may replace it. Defaults to time.Sleep.
	Pause func(d time.Duration)

	// ApplyEnv, set by the root command, applies the ETCDCTL_* variables to the global flags.
	// Like upstream, this happens only when a command first needs its settings (client or
	// printer), so argument errors are reported before an environment conflict.
	ApplyEnv func() error
	// ApplyContext, set by the root command, applies the chosen context of the config file to
	// the global flags still unset, right after the environment.
	ApplyContext func() error
	// Quiet settles the environment without warnings or debug lines (a shell completion run).
	Quiet   bool
	envDone bool
	base    struct {
		cfg  *clientv3.Config
		err  error
		done bool
	}
	envErr error
}

// Settle applies the environment to the global options once; later calls return the same result.
func (f *Factory) Settle() error {
	if f.envDone || f.ApplyEnv == nil {
		return f.envErr
	}
	f.envDone = true
	f.envErr = f.ApplyEnv()
	if f.envErr == nil && f.ApplyContext != nil {
		f.envErr = f.ApplyContext()
	}
	return f.envErr
}

// NewFactory returns a factory over the given streams and environment.
func NewFactory(io *iostreams.IOStreams, environ []string) *Factory {
	d, _ := dialect.Get(dialect.Default)
	return &Factory{IO: io, Global: &flags.Global{}, Environ: environ, Dialect: d, NewClient: clientv3.New, Pause: time.Sleep}
}

// Getenv looks a variable up in the factory's environment (not the process's).
func (f *Factory) Getenv(name string) string {
	prefix := name + "="
	for i := len(f.Environ) - 1; i >= 0; i-- {
		if strings.HasPrefix(f.Environ[i], prefix) {
			return f.Environ[i][len(prefix):]
		}
	}
	return ""
}

// Printer returns the printer chosen by -w and --hex, for a verb that connects. As upstream,
// the endpoints and credentials are settled first (SRV discovery, a password prompt), so their
// errors come before a format error; the TLS files are read later (ClientConfig).
func (f *Factory) Printer() (*printer.Printer, error) {
	if _, err := f.clientBase(); err != nil {
		return nil, err
	}
	return f.OutputPrinter()
}

// OutputPrinter returns the printer chosen by -w and --hex, for a verb that does not connect.
// An unknown format is a BadFeatureError.
func (f *Factory) OutputPrinter() (*printer.Printer, error) {
	if err := f.Settle(); err != nil {
		return nil, err
	}
	p, err := printer.New(f.Global.WriteOut, f.Global.Hex, f.IO.Out)
	if err != nil {
		return nil, AsBadFeature(err)
	}
	p.Dialect = f.Dialect
	if f.Dialect.FieldsIgnoreHex && p.Format == printer.Fields {
		p.Hex = false
	}
	return p, nil
}

// Logger is the client logger: silent unless --debug.
func (f *Factory) Logger() *zap.Logger {
	if !f.Global.Debug {
		return zap.NewNop()
	}
	cfg := zap.NewProductionConfig()
	cfg.Level = zap.NewAtomicLevelAt(zap.DebugLevel)
	cfg.OutputPaths = []string{"stderr"}
	cfg.ErrorOutputPaths = []string{"stderr"}
	lg, err := cfg.Build()
	if err != nil {
		return zap.NewNop()
	}
	return lg
}

// Prompt asks for a secret the way upstream does: the prompt goes to stdout; on a terminal the
// answer is read without echo, otherwise one line is read from stdin; a newline follows on stdout.
// The answer is trimmed of surrounding white space; end of input is an empty answer.
func (f *Factory) Prompt(prompt string) (string, error) {
	out := f.IO.Out
	flush := func() {
		if fl, ok := out.(interface{ Flush() error }); ok {
			fl.Flush()
		}
	}
	io.WriteString(out, prompt)
	flush()
	var (
		answer string
		err    error
	)
	if file, ok := f.IO.In.(*os.File); ok && f.IO.InTTY {
		var b []byte
		b, err = term.ReadPassword(int(file.Fd()))
		answer = string(b)
	} else {
		answer, err = ReadLine(f.IO.In)
	}
	// The line ends as soon as the answer is in, not when the command's output is flushed:
	// what follows (a dial, a request) may take a while.
	io.WriteString(out, "\n")
	flush()
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimSpace(answer), nil
}

// ReadLine reads one line (without its line ending) from r, byte by byte so nothing after it is consumed.
func ReadLine(r io.Reader) (string, error) {
	var sb strings.Builder
	buf := make([]byte, 1)
	for {
		n, err := r.Read(buf)
		if n == 1 {
			if buf[0] == '\n' {
				break
			}
			sb.WriteByte(buf[0])
		}
		if err != nil {
			if errors.Is(err, io.EOF) && sb.Len() > 0 {
				break
			}
			return sb.String(), err
		}
	}
	return strings.TrimSuffix(sb.String(), "\r"), nil
}

// clientBase settles the endpoints (SRV discovery) and credentials (which may prompt) once per
// run; later calls return the same result.
func (f *Factory) clientBase() (*clientv3.Config, error) {
	if f.base.done {
		return f.base.cfg, f.base.err
	}
	f.base.done = true
	if err := f.Settle(); err != nil {
		f.base.err = err
		return nil, err
	}
	cfg, err := f.Global.ClientBaseWith(flags.ClientOptions{Logger: f.Logger(), Prompt: f.Prompt, Warn: f.IO.ErrOut})
	if err != nil {
		var de *flags.DiscoveryError
		if !errors.As(err, &de) {
			err = AsBadArgs(err)
		}
		f.base.err = err
		return nil, err
	}
	f.base.cfg = cfg
	return cfg, nil
}

// ClientConfig resolves the global options into a client configuration (a copy the caller may
// change): endpoints and credentials, then the TLS files.
func (f *Factory) ClientConfig() (*clientv3.Config, error) {
	base, err := f.clientBase()
	if err != nil {
		return nil, err
	}
	cfg := *base
	if cfg.TLS, err = f.Global.TLSConfig(); err != nil {
		return nil, AsBadArgs(err)
	}
	return &cfg, nil
}

// Client connects to the global endpoints. When every endpoint refuses the connection outright it
// fails at once with the dial error instead of waiting for the command timeout.
func (f *Factory) Client() (*clientv3.Client, error) {
	cfg, err := f.ClientConfig()
	if err != nil {
		return nil, err
	}
	return f.ClientFor(*cfg)
}

// ClientFor connects with an explicit configuration (used by --cluster and per-endpoint commands).
func (f *Factory) ClientFor(cfg clientv3.Config) (*clientv3.Client, error) {
	cli, _, err := f.clientFor(cfg, false)
	return cli, err
}

// ClientDeferred is Client for a verb that reads its input between making its client and its
// first request (txn, interactive watch): upstream's client connects lazily, so input errors
// come before a dead cluster shows. The client is made whatever the probe found, and the probe's
// verdict (nil when the endpoints answered) is for the verb to return where it would make its
// first request. With a user the login is the first request, so a failed probe fails here.
func (f *Factory) ClientDeferred() (cli *clientv3.Client, verdict error, err error) {
	cfg, err := f.ClientConfig()
	if err != nil {
		return nil, nil, err
	}
	return f.clientFor(*cfg, true)
}

// clientFor probes cfg's endpoints and makes the client. A failed probe fails at once, unless
// deferred (then the client is made and the verdict returned beside it).
func (f *Factory) clientFor(cfg clientv3.Config, deferred bool) (*clientv3.Client, error, error) {
	verdict := ProbeConfig(&cfg, cfg.DialTimeout, f.Environ)
	switch {
	case verdict != nil && cfg.Username != "":
		// With a user, upstream's client logs in as it is made, and that is what fails: a
		// client that could not be made (exit 2), the probe's words kept.
		return nil, nil, &BadConnectionError{Err: verdict}
	case verdict != nil && !deferred:
		return nil, nil, verdict
	}
	cli, err := f.NewClient(cfg)
	if err != nil {
		return nil, nil, AsBadConnection(err)
	}
	return cli, verdict, nil
}

// CommandContext is a context bounded by --command-timeout.
func (f *Factory) CommandContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), f.Global.CommandTimeout)
}
