package commands

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/ctxconfig"
	"github.com/etcdctl-rewritten/etcdctl/printer"
	"github.com/spf13/cobra"
)

const configLong = `Manages the etcdctl config file of named contexts.

A context is a named set of global connection settings. The file is $ETCDCTL_CONFIG, or else
$XDG_CONFIG_HOME/etcdctl/config.yaml ($HOME/.config/etcdctl/config.yaml when XDG_CONFIG_HOME
is unset):

  current-context: prod
  contexts:
  - name: prod
    endpoints: [https://10.0.0.1:2379, https://10.0.0.2:2379]
    cacert: /etc/etcd/ca.pem
    cert: /etc/etcd/client.pem
    key: /etc/etcd/client-key.pem
    user: root
    password-file: /etc/etcd/root.password
    command-timeout: 30s
  - name: local
    endpoints: [127.0.0.1:2379]

A context may hold: endpoints, cacert, cert, key, user, password-file, insecure-transport,
insecure-skip-tls-verify, dial-timeout, command-timeout, keepalive-time, keepalive-timeout,
discovery-srv, discovery-srv-name, auth-jwt-token-file. Secrets are never held in the file: a
context names a password file or a token file (relative file names are taken from the config
file's directory).

Every command uses the context named by --context (or ETCDCTL_CONTEXT), else the file's
current-context. A setting given as a flag wins over its ETCDCTL_* variable, which wins over the
context, which wins over the built-in default. With no file and no context, nothing changes.`

// NewCmdConfig builds `etcdctl config`, a verb of ours that upstream does not have (kubectl's
// shape). It stays hidden so that the root help is upstream's byte for byte.
func NewCmdConfig(f *cmdutil.Factory) *cobra.Command {
	c := &cobra.Command{
		Use:    "config <subcommand>",
		Short:  "Manages the config file of named contexts (endpoints, TLS files, user, timeouts)",
		Long:   configLong,
		Hidden: true,
	}
	names := completeContextNames(f)
	c.AddCommand(
		newCmdConfigCurrentContext(f, nil),
		newCmdConfigGetContexts(f, nil),
		newCmdConfigUseContext(f, nil),
		newCmdConfigSetContext(f, nil),
		newCmdConfigDeleteContext(f, nil),
		newCmdConfigView(f, nil),
	)
	for _, sub := range c.Commands() {
		switch sub.Name() {
		case "get-contexts", "use-context", "delete-context":
			sub.ValidArgsFunction = names
		case "set-context":
			sub.ValidArgsFunction = func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
				if len(args) > 0 {
					return nil, cobra.ShellCompDirectiveNoFileComp
				}
				return names(cmd, args, toComplete)
			}
		}
	}
	return c
}

// ConfigCurrentContextOptions is what `config current-context` parsed (nothing but the factory).
type ConfigCurrentContextOptions struct {
	F *cmdutil.Factory
}

// newCmdConfigCurrentContext builds `config current-context`. runF, when not nil, receives the
// parsed options instead of runConfigCurrentContext.
func newCmdConfigCurrentContext(f *cmdutil.Factory, runF func(*ConfigCurrentContextOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "current-context",
		Short: "Prints the current context",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 0 {
				return cmdutil.BadArgs("current-context takes no arguments")
			}
			opts := &ConfigCurrentContextOptions{F: f}
			if runF != nil {
				return runF(opts)
			}
			return runConfigCurrentContext(opts)
		},
	}
}

func runConfigCurrentContext(opts *ConfigCurrentContextOptions) error {
	cfg, err := configLoad(opts.F)
	if err != nil {
		return err
	}
	if cfg.CurrentContext == "" {
		return fmt.Errorf("current-context is not set in %s", cfg.Path)
	}
	p := printer.Plain(opts.F.IO.Out)
	p.ConfigCurrentContext(cfg.CurrentContext)
	return p.Flush()
}

// ConfigGetContextsOptions is what `config get-contexts` parsed: the names asked for (none: all).
type ConfigGetContextsOptions struct {
	F     *cmdutil.Factory
	Names []string
}

// newCmdConfigGetContexts builds `config get-contexts`. runF, when not nil, receives the parsed
// options instead of runConfigGetContexts.
func newCmdConfigGetContexts(f *cmdutil.Factory, runF func(*ConfigGetContextsOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "get-contexts [NAME...]",
		Short: "Lists the contexts (simple, json or table)",
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := &ConfigGetContextsOptions{F: f, Names: args}
			if runF != nil {
				return runF(opts)
			}
			return runConfigGetContexts(opts)
		},
	}
}

// ConfigUseContextOptions is what `config use-context` parsed: the context to make current.
type ConfigUseContextOptions struct {
	F    *cmdutil.Factory
	Name string
}

// newCmdConfigUseContext builds `config use-context`. runF, when not nil, receives the parsed
// options instead of runConfigUseContext.
func newCmdConfigUseContext(f *cmdutil.Factory, runF func(*ConfigUseContextOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "use-context NAME",
		Short: "Sets the current context",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.BadArgs("use-context needs one argument: the context name")
			}
			opts := &ConfigUseContextOptions{F: f, Name: args[0]}
			if runF != nil {
				return runF(opts)
			}
			return runConfigUseContext(opts)
		},
	}
}

func runConfigUseContext(opts *ConfigUseContextOptions) error {
	cfg, err := configLoad(opts.F)
	if err != nil {
		return err
	}
	if cfg.Find(opts.Name) == nil {
		return fmt.Errorf("no context exists with the name %q in %s", opts.Name, cfg.Path)
	}
	cfg.CurrentContext = opts.Name
	if err := cfg.Save(); err != nil {
		return cmdutil.AsIO(err)
	}
	p := printer.Plain(opts.F.IO.Out)
	p.ConfigSwitched(opts.Name)
	return p.Flush()
}

// ConfigDeleteContextOptions is what `config delete-context` parsed: the context to delete.
type ConfigDeleteContextOptions struct {
	F    *cmdutil.Factory
	Name string
}

// newCmdConfigDeleteContext builds `config delete-context`. runF, when not nil, receives the
// parsed options instead of runConfigDeleteContext.
func newCmdConfigDeleteContext(f *cmdutil.Factory, runF func(*ConfigDeleteContextOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "delete-context NAME",
		Short: "Deletes a context (and unsets current-context when it was the current one)",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.BadArgs("delete-context needs one argument: the context name")
			}
			opts := &ConfigDeleteContextOptions{F: f, Name: args[0]}
			if runF != nil {
				return runF(opts)
			}
			return runConfigDeleteContext(opts)
		},
	}
}

func runConfigDeleteContext(opts *ConfigDeleteContextOptions) error {
	cfg, err := configLoad(opts.F)
	if err != nil {
		return err
	}
	if !cfg.Delete(opts.Name) {
		return fmt.Errorf("no context exists with the name %q in %s", opts.Name, cfg.Path)
	}
	if err := cfg.Save(); err != nil {
		return cmdutil.AsIO(err)
	}
	p := printer.Plain(opts.F.IO.Out)
	p.ConfigDeleted(opts.Name, cfg.Path)
	return p.Flush()
}

// ConfigViewOptions is what `config view` parsed (nothing but the factory).
type ConfigViewOptions struct {
	F *cmdutil.Factory
}

// newCmdConfigView builds `config view`. runF, when not nil, receives the parsed options instead
// of runConfigView.
func newCmdConfigView(f *cmdutil.Factory, runF func(*ConfigViewOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "view",
		Short: "Prints the config file (it holds no secret: only the names of password and token files)",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 0 {
				return cmdutil.BadArgs("view takes no arguments")
			}
			opts := &ConfigViewOptions{F: f}
			if runF != nil {
				return runF(opts)
			}
			return runConfigView(opts)
		},
	}
}

func runConfigView(opts *ConfigViewOptions) error {
	cfg, err := configLoad(opts.F)
	if err != nil {
		return err
	}
	b, err := cfg.Marshal()
	if err != nil {
		return err
	}
	p := printer.Plain(opts.F.IO.Out)
	p.ConfigView(b)
	return p.Flush()
}

// configSettingHelp describes each setting's flag on set-context.
var configSettingHelp = map[string]string{
	"endpoints":                "gRPC endpoints, comma-separated",
	"cacert":                   "CA bundle file to verify the servers",
	"cert":                     "client TLS certificate file",
	"key":                      "client TLS key file",
	"user":                     "user name (no password: see --password-file)",
	"password-file":            "file holding the user's password",
	"insecure-transport":       "disable transport security (true or false)",
	"insecure-skip-tls-verify": "skip server certificate verification (true or false)",
	"dial-timeout":             "dial timeout (like 2s)",
	"command-timeout":          "timeout for short running commands (like 5s)",
	"keepalive-time":           "keepalive time (like 2s)",
	"keepalive-timeout":        "keepalive timeout (like 6s)",
	"discovery-srv":            "domain name to query for SRV records describing cluster endpoints",
	"discovery-srv-name":       "service name to query when using DNS discovery",
	"auth-jwt-token-file":      "file holding a JWT token for authentication",
}

// ConfigSetContextOptions is what `config set-context` parsed: the context's name and the
// settings given on the command line (flag name to raw value; an empty value removes a setting).
// The values are checked when they are applied, after the file is read.
type ConfigSetContextOptions struct {
	F      *cmdutil.Factory
	Name   string
	Values map[string]string
}

// newCmdConfigSetContext builds `config set-context`. runF, when not nil, receives the parsed
// options instead of runConfigSetContext.
func newCmdConfigSetContext(f *cmdutil.Factory, runF func(*ConfigSetContextOptions) error) *cobra.Command {
	values := map[string]*string{}
	c := &cobra.Command{
		Use:   "set-context NAME [--endpoints ...] [--cacert ...] [...]",
		Short: "Creates a context or changes its settings (an empty value removes a setting)",
		Example: `  etcdctl config set-context prod --endpoints=https://10.0.0.1:2379,https://10.0.0.2:2379 \
    --cacert=/etc/etcd/ca.pem --user=root --password-file=/etc/etcd/root.password
  etcdctl config set-context prod --command-timeout=30s
  etcdctl config set-context prod --user= --password-file=`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.BadArgs("set-context needs one argument: the context name")
			}
			for _, secret := range []string{"password", "auth-jwt-token"} {
				if fl := cmd.Flags().Lookup(secret); fl != nil && fl.Changed {
					return cmdutil.BadArgs("a context holds no secret: use --%s-file instead of --%s", secret, secret)
				}
			}
			opts := &ConfigSetContextOptions{F: f, Name: args[0], Values: map[string]string{}}
			for _, k := range ctxconfig.Keys {
				if cmd.Flags().Changed(k) {
					opts.Values[k] = *values[k]
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return runConfigSetContext(opts)
		},
	}
	for _, k := range ctxconfig.Keys {
		values[k] = c.Flags().String(k, "", configSettingHelp[k])
		if k == "insecure-transport" || k == "insecure-skip-tls-verify" {
			c.Flags().Lookup(k).NoOptDefVal = "true"
		}
	}
	return c
}

func runConfigSetContext(opts *ConfigSetContextOptions) error {
	cfg, err := configLoad(opts.F)
	if err != nil {
		return err
	}
	name := opts.Name
	ctx := cfg.Find(name)
	created := ctx == nil
	if created {
		ctx = &ctxconfig.Context{Name: name}
	}
	for _, k := range ctxconfig.Keys {
		raw, ok := opts.Values[k]
		if !ok {
			continue
		}
		v := strings.TrimSpace(raw)
		if v != "" {
			if err := ctxconfig.CheckValue(k, v); err != nil {
				return cmdutil.BadArgs("--%v", err)
			}
			if ctxconfig.FileKeys[k] {
				if abs, err := filepath.Abs(v); err == nil {
					v = abs
				}
			}
		}
		ctx.Set(k, v)
	}
	if _, hasPW := ctx.Get("password-file"); hasPW {
		if _, hasUser := ctx.Get("user"); !hasUser {
			return cmdutil.BadArgs("a password-file needs a user (--user)")
		}
	}
	if created {
		cfg.Contexts = append(cfg.Contexts, ctx)
	}
	if err := cfg.Save(); err != nil {
		return cmdutil.AsIO(err)
	}
	p := printer.Plain(opts.F.IO.Out)
	p.ConfigSaved(name, created)
	return p.Flush()
}

// configLoad reads the config file (an empty config when there is none yet).
func configLoad(f *cmdutil.Factory) (*ctxconfig.Config, error) {
	cfg, err := ctxconfig.LoadOrEmpty(ctxconfig.Path(f.Getenv))
	if err != nil {
		return nil, err
	}
	return cfg, nil
}

func runConfigGetContexts(opts *ConfigGetContextsOptions) error {
	f := opts.F
	if f.ApplyEnv != nil { // ETCDCTL_WRITE_OUT, without reading the config as a client would
		if err := f.ApplyEnv(); err != nil {
			return err
		}
	}
	p, err := printer.New(f.Global.WriteOut, f.Global.Hex, f.IO.Out)
	if err != nil {
		return cmdutil.AsBadFeature(err)
	}
	if p.Format != printer.Simple && p.Format != printer.JSON && p.Format != printer.Table {
		return p.Unsupported()
	}
	cfg, err := configLoad(f)
	if err != nil {
		return err
	}
	list := cfg.Contexts
	if len(opts.Names) > 0 {
		list = nil
		for _, n := range opts.Names {
			c := cfg.Find(n)
			if c == nil {
				return fmt.Errorf("no context exists with the name %q in %s", n, cfg.Path)
			}
			list = append(list, c)
		}
	}
	out := make([]printer.ConfigContext, 0, len(list))
	for _, c := range list {
		row := configContextRow(cfg, c)
		pc := printer.ConfigContext{Name: c.Name, Current: c.Name == cfg.CurrentContext, Settings: map[string]string{},
			Endpoints: row[2], User: row[3], TLS: row[4]}
		for _, s := range c.Settings {
			pc.Settings[s.Key] = s.Value
		}
		out = append(out, pc)
	}
	if err := p.ConfigContexts(cfg.CurrentContext, out); err != nil {
		return err
	}
	return p.Flush()
}

// configContextRow is one context in get-contexts: current mark, name, endpoints, user, TLS.
func configContextRow(cfg *ctxconfig.Config, c *ctxconfig.Context) []string {
	cur := ""
	if c.Name == cfg.CurrentContext {
		cur = "*"
	}
	eps, _ := c.Get("endpoints")
	user, _ := c.Get("user")
	if _, ok := c.Get("auth-jwt-token-file"); ok && user == "" {
		user = "(jwt)"
	}
	tls := "no"
	for _, k := range []string{"cacert", "cert", "key"} {
		if _, ok := c.Get(k); ok {
			tls = "yes"
		}
	}
	if v, ok := c.Get("insecure-transport"); ok && v == "false" {
		tls = "yes"
	}
	if v, ok := c.Get("insecure-skip-tls-verify"); ok && v == "true" {
		tls = "yes (unverified)"
	}
	return []string{cur, c.Name, eps, user, tls}
}

// completeContextNames completes the names of the contexts in the config file.
func completeContextNames(f *cmdutil.Factory) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		cfg, err := ctxconfig.Load(ctxconfig.Path(f.Getenv))
		if err != nil || cfg == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []cobra.Completion
		for _, n := range cfg.Names() {
			if strings.HasPrefix(n, toComplete) {
				out = append(out, n)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// RegisterContextCompletion completes context names after the global --context flag.
func RegisterContextCompletion(root *cobra.Command, f *cmdutil.Factory) {
	_ = root.RegisterFlagCompletionFunc("context", completeContextNames(f))
}
