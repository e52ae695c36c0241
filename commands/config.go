package commands

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"

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
		&cobra.Command{
			Use:   "current-context",
			Short: "Prints the current context",
			RunE: func(cmd *cobra.Command, args []string) error {
				if len(args) != 0 {
					return cmdutil.BadArgs("current-context takes no arguments")
				}
				cfg, err := configLoad(f)
				if err != nil {
					return err
				}
				if cfg.CurrentContext == "" {
					return fmt.Errorf("current-context is not set in %s", cfg.Path)
				}
				_, err = fmt.Fprintln(f.IO.Out, cfg.CurrentContext)
				return err
			},
		},
		&cobra.Command{
			Use:               "get-contexts [NAME...]",
			Short:             "Lists the contexts (simple, json or table)",
			ValidArgsFunction: names,
			RunE:              func(cmd *cobra.Command, args []string) error { return runConfigGetContexts(f, args) },
		},
		&cobra.Command{
			Use:               "use-context NAME",
			Short:             "Sets the current context",
			ValidArgsFunction: names,
			RunE: func(cmd *cobra.Command, args []string) error {
				if len(args) != 1 {
					return cmdutil.BadArgs("use-context needs one argument: the context name")
				}
				cfg, err := configLoad(f)
				if err != nil {
					return err
				}
				if cfg.Find(args[0]) == nil {
					return fmt.Errorf("no context exists with the name %q in %s", args[0], cfg.Path)
				}
				cfg.CurrentContext = args[0]
				if err := cfg.Save(); err != nil {
					return cmdutil.AsIO(err)
				}
				_, err = fmt.Fprintf(f.IO.Out, "Switched to context %q.\n", args[0])
				return err
			},
		},
		newCmdConfigSetContext(f, names),
		&cobra.Command{
			Use:               "delete-context NAME",
			Short:             "Deletes a context (and unsets current-context when it was the current one)",
			ValidArgsFunction: names,
			RunE: func(cmd *cobra.Command, args []string) error {
				if len(args) != 1 {
					return cmdutil.BadArgs("delete-context needs one argument: the context name")
				}
				cfg, err := configLoad(f)
				if err != nil {
					return err
				}
				if !cfg.Delete(args[0]) {
					return fmt.Errorf("no context exists with the name %q in %s", args[0], cfg.Path)
				}
				if err := cfg.Save(); err != nil {
					return cmdutil.AsIO(err)
				}
				_, err = fmt.Fprintf(f.IO.Out, "Deleted context %q from %s.\n", args[0], cfg.Path)
				return err
			},
		},
		&cobra.Command{
			Use:   "view",
			Short: "Prints the config file (it holds no secret: only the names of password and token files)",
			RunE: func(cmd *cobra.Command, args []string) error {
				if len(args) != 0 {
					return cmdutil.BadArgs("view takes no arguments")
				}
				cfg, err := configLoad(f)
				if err != nil {
					return err
				}
				b, err := cfg.Marshal()
				if err != nil {
					return err
				}
				_, err = f.IO.Out.Write(b)
				return err
			},
		},
	)
	return c
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

func newCmdConfigSetContext(f *cmdutil.Factory, names cobra.CompletionFunc) *cobra.Command {
	values := map[string]*string{}
	c := &cobra.Command{
		Use:   "set-context NAME [--endpoints ...] [--cacert ...] [...]",
		Short: "Creates a context or changes its settings (an empty value removes a setting)",
		Example: `  etcdctl config set-context prod --endpoints=https://10.0.0.1:2379,https://10.0.0.2:2379 \
    --cacert=/etc/etcd/ca.pem --user=root --password-file=/etc/etcd/root.password
  etcdctl config set-context prod --command-timeout=30s
  etcdctl config set-context prod --user= --password-file=`,
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return names(cmd, args, toComplete)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.BadArgs("set-context needs one argument: the context name")
			}
			for _, secret := range []string{"password", "auth-jwt-token"} {
				if fl := cmd.Flags().Lookup(secret); fl != nil && fl.Changed {
					return cmdutil.BadArgs("a context holds no secret: use --%s-file instead of --%s", secret, secret)
				}
			}
			cfg, err := configLoad(f)
			if err != nil {
				return err
			}
			name := args[0]
			ctx := cfg.Find(name)
			created := ctx == nil
			if created {
				ctx = &ctxconfig.Context{Name: name}
			}
			for _, k := range ctxconfig.Keys {
				if !cmd.Flags().Changed(k) {
					continue
				}
				v := strings.TrimSpace(*values[k])
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
			verb := "modified"
			if created {
				verb = "created"
			}
			_, err = fmt.Fprintf(f.IO.Out, "Context %q %s.\n", name, verb)
			return err
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

// configLoad reads the config file (an empty config when there is none yet).
func configLoad(f *cmdutil.Factory) (*ctxconfig.Config, error) {
	cfg, err := ctxconfig.LoadOrEmpty(ctxconfig.Path(f.Getenv))
	if err != nil {
		return nil, err
	}
	return cfg, nil
}

type configContextJSON struct {
	Name     string            `json:"name"`
	Current  bool              `json:"current"`
	Settings map[string]string `json:"settings"`
}

func runConfigGetContexts(f *cmdutil.Factory, args []string) error {
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
	if len(args) > 0 {
		list = nil
		for _, n := range args {
			c := cfg.Find(n)
			if c == nil {
				return fmt.Errorf("no context exists with the name %q in %s", n, cfg.Path)
			}
			list = append(list, c)
		}
	}
	switch p.Format {
	case printer.JSON:
		out := make([]configContextJSON, 0, len(list))
		for _, c := range list {
			j := configContextJSON{Name: c.Name, Current: c.Name == cfg.CurrentContext, Settings: map[string]string{}}
			for _, s := range c.Settings {
				j.Settings[s.Key] = s.Value
			}
			out = append(out, j)
		}
		b, err := json.Marshal(map[string]any{"current-context": cfg.CurrentContext, "contexts": out})
		if err != nil {
			return err
		}
		p.Raw(string(b) + "\n")
		return p.Flush()
	case printer.Table:
		var rows [][]string
		for _, c := range list {
			rows = append(rows, configContextRow(cfg, c))
		}
		if err := p.WriteTable([]string{"CURRENT", "NAME", "ENDPOINTS", "USER", "TLS"}, rows); err != nil {
			return err
		}
		return p.Flush()
	}
	tw := tabwriter.NewWriter(p.Writer(), 0, 8, 3, ' ', 0)
	fmt.Fprintln(tw, "CURRENT\tNAME\tENDPOINTS\tUSER\tTLS")
	for _, c := range list {
		fmt.Fprintln(tw, strings.Join(configContextRow(cfg, c), "\t"))
	}
	tw.Flush()
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
