// Package ctxconfig reads and writes etcdctl's config file of named contexts: each context holds
// global connection settings (endpoints, TLS files, user and password file, timeouts, ...), and
// current-context names the one used when no --context / ETCDCTL_CONTEXT is given.
//
// The file is YAML:
//
//	current-context: prod
//	contexts:
//	- name: prod
//	  endpoints: [https://10.0.0.1:2379, https://10.0.0.2:2379]
//	  cacert: /etc/etcd/ca.pem
//	  user: root
//	  password-file: /etc/etcd/root.password
//
// Secrets are never held inline: a context names a password file or a token file.
package ctxconfig

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	yaml "go.yaml.in/yaml/v3"
)

// EnvConfig names the config file (default: $XDG_CONFIG_HOME/etcdctl/config.yaml, or
// $HOME/.config/etcdctl/config.yaml).
const EnvConfig = "ETCDCTL_CONFIG"

// Keys a context may hold, in the order they are written.
var Keys = []string{
	"endpoints", "cacert", "cert", "key", "user", "password-file",
	"insecure-transport", "insecure-skip-tls-verify",
	"dial-timeout", "command-timeout", "keepalive-time", "keepalive-timeout",
	"discovery-srv", "discovery-srv-name", "auth-jwt-token-file",
}

// FileKeys are the settings that name files (resolved against the config file's directory when
// relative).
var FileKeys = map[string]bool{"cacert": true, "cert": true, "key": true, "password-file": true, "auth-jwt-token-file": true}

var (
	durationKeys = map[string]bool{"dial-timeout": true, "command-timeout": true, "keepalive-time": true, "keepalive-timeout": true}
	boolKeys     = map[string]bool{"insecure-transport": true, "insecure-skip-tls-verify": true}
	// secretKeys would hold a secret inline; each names the key to use instead.
	secretKeys = map[string]string{
		"password": "password-file", "auth-jwt-token": "auth-jwt-token-file", "token": "auth-jwt-token-file",
		"jwt-token": "auth-jwt-token-file", "auth-jwt-token-data": "auth-jwt-token-file",
	}
)

// IsKey reports whether k is a setting a context may hold.
func IsKey(k string) bool {
	for _, x := range Keys {
		if x == k {
			return true
		}
	}
	return false
}

// Setting is one key of a context. Endpoints are comma-separated.
type Setting struct {
	Key   string
	Value string
	Line  int // in the file; 0 when set in memory
}

// Context is a named set of settings.
type Context struct {
	Name     string
	Settings []Setting
	Line     int
}

// Get returns the value of key, and whether it is set.
func (c *Context) Get(key string) (string, bool) {
	for _, s := range c.Settings {
		if s.Key == key {
			return s.Value, true
		}
	}
	return "", false
}

// Set sets key to value; an empty value removes it. Settings stay in Keys order.
func (c *Context) Set(key, value string) {
	out := c.Settings[:0]
	for _, s := range c.Settings {
		if s.Key != key {
			out = append(out, s)
		}
	}
	c.Settings = out
	if value == "" {
		return
	}
	c.Settings = append(c.Settings, Setting{Key: key, Value: value})
	rank := map[string]int{}
	for i, k := range Keys {
		rank[k] = i
	}
	for i := len(c.Settings) - 1; i > 0 && rank[c.Settings[i].Key] < rank[c.Settings[i-1].Key]; i-- {
		c.Settings[i], c.Settings[i-1] = c.Settings[i-1], c.Settings[i]
	}
}

// Config is the whole file.
type Config struct {
	Path           string
	CurrentContext string
	Contexts       []*Context
}

// Find returns the named context, or nil.
func (c *Config) Find(name string) *Context {
	for _, x := range c.Contexts {
		if x.Name == name {
			return x
		}
	}
	return nil
}

// Delete removes the named context and reports whether it was there. When it was the current
// context, current-context is cleared.
func (c *Config) Delete(name string) bool {
	for i, x := range c.Contexts {
		if x.Name == name {
			c.Contexts = append(c.Contexts[:i], c.Contexts[i+1:]...)
			if c.CurrentContext == name {
				c.CurrentContext = ""
			}
			return true
		}
	}
	return false
}

// Names are the context names, in file order.
func (c *Config) Names() []string {
	out := make([]string, 0, len(c.Contexts))
	for _, x := range c.Contexts {
		out = append(out, x.Name)
	}
	return out
}

// Path is the config file's name from the environment: $ETCDCTL_CONFIG, else
// $XDG_CONFIG_HOME/etcdctl/config.yaml, else $HOME/.config/etcdctl/config.yaml ("" when none
// of them is set).
func Path(getenv func(string) string) string {
	if p := getenv(EnvConfig); p != "" {
		return p
	}
	if x := getenv("XDG_CONFIG_HOME"); x != "" {
		return filepath.Join(x, "etcdctl", "config.yaml")
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".config", "etcdctl", "config.yaml")
	}
	return ""
}

// Load reads and checks the file at path. A missing file is (nil, nil): one failed open, nothing
// else. A malformed file is an error naming the file and the line.
func Load(path string) (*Config, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	return Parse(path, b)
}

// LoadOrEmpty is Load, with an empty config (to be written to path) when there is no file.
func LoadOrEmpty(path string) (*Config, error) {
	if path == "" {
		return nil, errors.New("no config file: set ETCDCTL_CONFIG, XDG_CONFIG_HOME or HOME")
	}
	c, err := Load(path)
	if c == nil && err == nil {
		c = &Config{Path: path}
	}
	return c, err
}

// ParseError is a problem in the file, at a line.
type ParseError struct {
	Path string
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// Parse checks and decodes the text of a config file.
func Parse(path string, b []byte) (*Config, error) {
	cfg := &Config{Path: path}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		// yaml's own messages carry the line ("yaml: line 3: ..."): show it as path:line.
		msg, line := err.Error(), 0
		if rest, ok := strings.CutPrefix(msg, "yaml: line "); ok {
			if n, after, ok := strings.Cut(rest, ": "); ok {
				if l, err := strconv.Atoi(n); err == nil {
					msg, line = "yaml: "+after, l
				}
			}
		}
		return nil, &ParseError{Path: path, Line: line, Msg: msg}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return cfg, nil // empty file
	}
	root := doc.Content[0]
	bad := func(n *yaml.Node, format string, a ...any) error {
		return &ParseError{Path: path, Line: n.Line, Msg: fmt.Sprintf(format, a...)}
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return cfg, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, bad(root, "the file must be a mapping with current-context and contexts")
	}
	seenTop := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if seenTop[k.Value] {
			return nil, bad(k, "%q appears twice", k.Value)
		}
		seenTop[k.Value] = true
		switch k.Value {
		case "current-context":
			if v.Kind != yaml.ScalarNode {
				return nil, bad(v, "current-context must be a context name")
			}
			if v.Tag != "!!null" {
				cfg.CurrentContext = v.Value
			}
		case "contexts":
			if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
				continue
			}
			if v.Kind != yaml.SequenceNode {
				return nil, bad(v, "contexts must be a list of contexts, each with a name")
			}
			for _, item := range v.Content {
				c, err := parseContext(item, bad)
				if err != nil {
					return nil, err
				}
				if cfg.Find(c.Name) != nil {
					return nil, bad(item, "context %q is defined twice", c.Name)
				}
				cfg.Contexts = append(cfg.Contexts, c)
			}
		default:
			return nil, bad(k, "unknown key %q (expected current-context or contexts)", k.Value)
		}
	}
	return cfg, nil
}

func parseContext(n *yaml.Node, bad func(*yaml.Node, string, ...any) error) (*Context, error) {
	if n.Kind != yaml.MappingNode {
		return nil, bad(n, "a context must be a mapping with a name and settings")
	}
	c := &Context{Line: n.Line}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			return nil, bad(k, "%q appears twice in a context", k.Value)
		}
		seen[k.Value] = true
		if k.Value == "name" {
			if v.Kind != yaml.ScalarNode || v.Value == "" {
				return nil, bad(v, "a context name must be a non-empty string")
			}
			c.Name = v.Value
			continue
		}
		if instead, ok := secretKeys[k.Value]; ok {
			return nil, bad(k, "%q would hold a secret in the config file; name a file holding it with %q instead", k.Value, instead)
		}
		if !IsKey(k.Value) {
			return nil, bad(k, "unknown setting %q (known: name, %s)", k.Value, strings.Join(Keys, ", "))
		}
		val, err := scalarValue(k.Value, v, bad)
		if err != nil {
			return nil, err
		}
		if err := CheckValue(k.Value, val); err != nil {
			return nil, bad(v, "%v", err)
		}
		c.Settings = append(c.Settings, Setting{Key: k.Value, Value: val, Line: v.Line})
	}
	if c.Name == "" {
		return nil, bad(n, "a context needs a name")
	}
	if _, hasPW := c.Get("password-file"); hasPW {
		if _, hasUser := c.Get("user"); !hasUser {
			return nil, bad(n, "context %q has a password-file but no user", c.Name)
		}
	}
	return c, nil
}

// scalarValue reads a setting's value: a scalar, or for endpoints also a list (joined with commas).
func scalarValue(key string, v *yaml.Node, bad func(*yaml.Node, string, ...any) error) (string, error) {
	switch {
	case v.Kind == yaml.ScalarNode:
		return v.Value, nil
	case v.Kind == yaml.SequenceNode && key == "endpoints":
		var eps []string
		for _, e := range v.Content {
			if e.Kind != yaml.ScalarNode || e.Value == "" {
				return "", bad(e, "an endpoint must be a non-empty string")
			}
			eps = append(eps, e.Value)
		}
		return strings.Join(eps, ","), nil
	}
	return "", bad(v, "%q must be a single value", key)
}

// CheckValue checks one setting's value: durations and booleans must parse, user names carry no
// password.
func CheckValue(key, val string) error {
	switch {
	case durationKeys[key]:
		if _, err := time.ParseDuration(val); err != nil {
			return fmt.Errorf("%s: %q is not a duration (like 5s)", key, val)
		}
	case boolKeys[key]:
		if _, err := strconv.ParseBool(val); err != nil {
			return fmt.Errorf("%s: %q is not true or false", key, val)
		}
	case key == "user":
		if strings.Contains(val, ":") {
			return errors.New("user: a context holds no password (user:password); name a file with password-file instead")
		}
	}
	return nil
}

// Resolve returns a file setting's path, relative ones taken from the config file's directory.
func (c *Config) Resolve(key, val string) string {
	if !FileKeys[key] || val == "" || filepath.IsAbs(val) {
		return val
	}
	return filepath.Join(filepath.Dir(c.Path), val)
}

// Marshal renders the config as YAML, settings in Keys order.
func (c *Config) Marshal() ([]byte, error) {
	str := func(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: s} }
	root := &yaml.Node{Kind: yaml.MappingNode}
	if c.CurrentContext != "" {
		root.Content = append(root.Content, str("current-context"), str(c.CurrentContext))
	}
	list := &yaml.Node{Kind: yaml.SequenceNode}
	for _, x := range c.Contexts {
		m := &yaml.Node{Kind: yaml.MappingNode}
		m.Content = append(m.Content, str("name"), str(x.Name))
		for _, s := range x.Settings {
			var v *yaml.Node
			switch {
			case s.Key == "endpoints":
				v = &yaml.Node{Kind: yaml.SequenceNode}
				for _, e := range strings.Split(s.Value, ",") {
					v.Content = append(v.Content, str(e))
				}
			case boolKeys[s.Key]:
				v = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: s.Value}
			default:
				v = str(s.Value)
			}
			m.Content = append(m.Content, str(s.Key), v)
		}
		list.Content = append(list.Content, m)
	}
	root.Content = append(root.Content, str("contexts"), list)
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Save writes the config atomically: a temp file in the same directory (mode 0600), synced, then
// renamed over the file, and the directory synced.
func (c *Config) Save() error {
	b, err := c.Marshal()
	if err != nil {
		return err
	}
	dir := filepath.Dir(c.Path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(c.Path)+".tmp-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(name, c.Path); err != nil {
		return err
	}
	ok = true
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
