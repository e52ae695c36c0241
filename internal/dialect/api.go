package dialect

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// APIEnvVar is the variable 3.5 reads to choose between its v3 client and its old v2 one.
const APIEnvVar = "ETCDCTL_API"

// API is what ETCDCTL_API asks of a run in d: "3" for the normal client, "2" for the v2 client
// (only 3.5 has it), or an error for a value d rejects. Releases that do not read the variable
// always answer "3".
func (d *Dialect) API(environ []string) (string, error) {
	if !d.ReadsAPIVar {
		return "3", nil
	}
	v, set := "", false
	for i := len(environ) - 1; i >= 0; i-- {
		if s, ok := strings.CutPrefix(environ[i], APIEnvVar+"="); ok {
			v, set = s, true
			break
		}
	}
	switch {
	case !set || v == "" || v == "3":
		return "3", nil
	case v == "2":
		return "2", nil
	}
	return "", fmt.Errorf("unsupported API version: %s", v)
}

// v2 front: 3.5 still shipped the v2 client behind ETCDCTL_API=2. The v2 API is gone from
// servers since 3.6 (and off by default in 3.5), so what is reproduced here is the front: its
// help page, version, usage errors, and the answers its verbs get from servers without the v2
// API (a refused connection, or a v3-only server's 404).

// v2Pages are the v2 client's help pages, each after a line "=== <key>": "help <verb>" (what
// `help <verb>` and `<verb> -h` print), "<group>" (a group verb alone) and "<group> <verb>".
//
//go:embed v2pages.txt
var v2Pages string

// v2Page is the help page called key, or "".
func v2Page(key string) string {
	_, rest, ok := strings.Cut("\n"+v2Pages, "\n=== "+key+"\n")
	if !ok {
		return ""
	}
	page, _, _ := strings.Cut(rest, "\n=== ")
	return strings.TrimSuffix(page, "\n") + "\n"
}

// v2HelpTopic answers `help <topic>` (and `h <topic>`, and a group's `help <sub>`): the page
// called key, or "No help topic" (exit 3) when there is none.
func v2HelpTopic(key, topic string, out, errOut io.Writer) int {
	page := v2Page(key)
	if page == "" {
		return v2NoHelpTopic(topic, errOut)
	}
	fmt.Fprint(out, page)
	return 0
}

// v2NoHelpTopic is the client's answer to a word that names no verb: exit 3.
func v2NoHelpTopic(topic string, errOut io.Writer) int {
	fmt.Fprintf(errOut, "No help topic for '%s'\n", topic)
	return 3
}

// v2Usage reports an option error of the client or a group (sep ". ") or of a verb (sep ": "):
// the error on stderr, "Incorrect Usage" and the help page on stdout, exit 1.
func v2Usage(sep string, err error, page string, out, errOut io.Writer) int {
	fmt.Fprintln(errOut, err)
	fmt.Fprintf(out, "Incorrect Usage%s%s\n\n", sep, err)
	fmt.Fprint(out, page)
	return 1
}

// The v2 client's verbs (and "h", help's alias) and its groups of sub-verbs. (Its global options
// are read from its help page, v2Help.)
const (
	v2Commands = "backup cluster-health mk mkdir rm rmdir get ls set setdir update updatedir watch exec-watch member user role auth help h"
	v2Groups   = "member user role auth"
)

// isOneOf reports whether s is one of the space-separated words of list.
func isOneOf(s, list string) bool {
	for _, x := range strings.Fields(list) {
		if s == x {
			return true
		}
	}
	return false
}

// RunV2 runs the v2 client's front with args (without the program name) and returns the exit code.
func RunV2(version string, args []string, environ []string, out, errOut io.Writer) int {
	// The global options, as its help page lists them, up to the verb.
	page := v2Help(version)
	g, err := v2Parse(v2OptsFrom(page), args)
	if err != nil {
		return v2Usage(". ", err, page, out, errOut)
	}
	rest := g.args
	switch {
	case g.on("help"):
		fmt.Fprint(out, page)
		return 0
	case g.on("version"):
		fmt.Fprintf(out, "etcdctl version: %s\nAPI version: 2\n", version)
		return 0
	case len(rest) == 0 || (len(rest) == 1 && (rest[0] == "help" || rest[0] == "h")):
		fmt.Fprint(out, page)
		return 0
	case !isOneOf(rest[0], v2Commands):
		return v2NoHelpTopic(rest[0], errOut)
	}
	verb := rest[0]
	if verb == "help" || verb == "h" {
		topic := rest[1]
		if topic == "h" {
			topic = "help"
		}
		return v2HelpTopic("help "+topic, rest[1], out, errOut)
	}
	// A group (member, user, role, auth) reads its own options up to its sub-verb.
	key, words := "help "+verb, rest[1:]
	if isOneOf(verb, v2Groups) {
		grp, err := v2Parse(v2OptsOf(verb), words)
		if err != nil {
			return v2Usage(". ", err, v2Page(verb), out, errOut)
		}
		if grp.on("help") || len(grp.args) == 0 {
			fmt.Fprint(out, v2Page(verb))
			return 0
		}
		sub := grp.args[0]
		if sub == "help" || sub == "h" {
			if len(grp.args) == 1 {
				return v2HelpTopic(verb+" help", sub, out, errOut)
			}
			return v2HelpTopic(verb+" "+grp.args[1], grp.args[1], out, errOut)
		}
		if v2Page(verb+" "+sub) == "" {
			return v2NoHelpTopic(sub, errOut)
		}
		key, words = verb+" "+sub, grp.args[1:]
	}
	opts := v2OptsOf(key)
	p, err := v2Parse(opts, v2Reorder(opts, words))
	if err != nil {
		return v2Usage(": ", err, v2Page(key), out, errOut)
	}
	if p.on("help") {
		fmt.Fprint(out, v2Page(key))
		return 0
	}
	if verb == "backup" {
		return 0
	}
	if msg := v2ArgCheck(key, p); msg != "" {
		fmt.Fprintln(errOut, msg)
		return 1
	}
	// --endpoints, --endpoint and --peers (-C) are three settings, each from its flag or else
	// its variable; the first one set of the three names the endpoints.
	endpoints := "http://127.0.0.1:2379,http://127.0.0.1:4001"
	for _, name := range []string{"endpoints", "endpoint", "peers"} {
		v, ok := g.set[name]
		if !ok {
			v = v2Getenv(environ, "ETCDCTL_"+strings.ToUpper(name))
		}
		if v != "" {
			endpoints = v
			break
		}
	}
	timeout := 2 * time.Second
	if v, ok := g.set["timeout"]; ok {
		timeout, _ = time.ParseDuration(v) // checked by v2Parse
	}
	return v2Request(rest[0], strings.Split(endpoints, ","), timeout, out, errOut)
}

// v2Request is a v2 verb's first request (the cluster sync) against servers without the v2 API.
func v2Request(verb string, endpoints []string, timeout time.Duration, out, errOut io.Writer) int {
	client := &http.Client{Timeout: timeout}
	var dialErrs []string
	answered := false
	for _, ep := range endpoints {
		u, err := url.Parse(ep)
		if err != nil {
			fmt.Fprintln(errOut, err)
			return 1
		}
		resp, err := client.Get(strings.TrimSuffix(u.String(), "/") + "/v2/members")
		if err != nil {
			var op *net.OpError
			if errors.As(err, &op) {
				dialErrs = append(dialErrs, op.Error())
			} else {
				dialErrs = append(dialErrs, err.Error())
			}
			continue
		}
		resp.Body.Close()
		answered = true
		break
	}
	if !answered {
		var b strings.Builder
		b.WriteString("Error:  client: etcd cluster is unavailable or misconfigured")
		for i, e := range dialErrs {
			fmt.Fprintf(&b, "; error #%d: %s\n", i, e)
		}
		b.WriteString("\n")
		for i, e := range dialErrs {
			fmt.Fprintf(&b, "error #%d: %s\n", i, e)
		}
		b.WriteString("\n")
		fmt.Fprint(errOut, b.String())
		if verb == "cluster-health" {
			fmt.Fprintln(out, "cluster may be unhealthy: failed to list members")
			return 4
		}
		return 2
	}
	switch verb {
	case "cluster-health":
		fmt.Fprintln(out, "cluster may be unhealthy: failed to list members")
		fmt.Fprintln(errOut, "Error:  unexpected status code 404")
		return 4
	case "member":
		fmt.Fprintln(errOut, "unexpected status code 404")
		return 1
	case "user", "role", "auth":
		fmt.Fprintln(errOut, "invalid character 'p' after top-level value")
		return 1
	}
	fmt.Fprintln(errOut, "Error:  client: response is invalid json. The endpoint is probably not valid etcd cluster endpoint")
	return 4
}

// v2Help is the v2 client's help page.
func v2Help(version string) string {
	return `NAME:
   etcdctl - A simple command line client for etcd.

USAGE:
   etcdctl [global options] command [command options] [arguments...]

VERSION:
   ` + version + `

COMMANDS:
   backup          --data-dir=... --backup-dir={output}
   cluster-health  check the health of the etcd cluster
   mk              make a new key with a given value
   mkdir           make a new directory
   rm              remove a key or a directory
   rmdir           removes the key if it is an empty directory or a key-value pair
   get             retrieve the value of a key
   ls              retrieve a directory
   set             set the value of a key
   setdir          create a new directory or update an existing directory TTL
   update          update an existing key with a given value
   updatedir       update an existing directory
   watch           watch a key for changes
   exec-watch      watch a key for changes and exec an executable
   member          member add, remove and list subcommands
   user            user add, grant and revoke subcommands
   role            role add, grant and revoke subcommands
   auth            overall auth controls
   help, h         Shows a list of commands or help for one command

GLOBAL OPTIONS:
   --debug                          output cURL commands which can be used to reproduce the request
   --no-sync                        don't synchronize cluster information before sending request
   --output simple, -o simple       output response in the given format (simple, ` + "`extended`" + ` or ` + "`json`" + `) (default: "simple")
   --discovery-srv value, -D value  domain name to query for SRV records describing cluster endpoints
   --insecure-discovery             accept insecure SRV records describing cluster endpoints
   --peers value, -C value          DEPRECATED - "--endpoints" should be used instead
   --endpoint value                 DEPRECATED - "--endpoints" should be used instead
   --endpoints value                a comma-delimited list of machine addresses in the cluster (default: "http://127.0.0.1:2379,http://127.0.0.1:4001")
   --cert-file value                identify HTTPS client using this SSL certificate file
   --key-file value                 identify HTTPS client using this SSL key file
   --ca-file value                  verify certificates of HTTPS-enabled servers using this CA bundle
   --username value, -u value       provide username[:password] and prompt if password is not supplied.
   --timeout value                  connection timeout per request (default: 2s)
   --total-timeout value            timeout for the command execution (except watch) (default: 5s)
   --help, -h                       show help
   --version, -v                    print the version
`
}

// v2ArgCheck is the v2 client's complaint about a group verb's arguments, made before it
// connects ("" when it has none): a missing or extra name or ID, no --roles, no --path, not
// exactly one permission.
func v2ArgCheck(key string, p v2Parsed) string {
	n := len(p.args)
	switch key {
	case "member list", "user list", "role list", "auth enable", "auth disable":
		if n > 0 {
			return "No arguments accepted"
		}
	case "member add":
		if n != 2 {
			return "Provide a name and a single member peerURL"
		}
	case "member remove":
		if n != 1 {
			return "Provide a single member ID"
		}
	case "member update":
		if n != 2 {
			return "Provide an ID and a list of comma separated peerURL (0xabcd http://example.com,http://example1.com)"
		}
	case "user add", "user get", "user remove", "user passwd":
		if n != 1 {
			return "Please provide a username"
		}
	case "user grant", "user revoke":
		if _, given := p.set["roles"]; !given {
			return "No roles specified; please use `--roles`"
		}
		if n != 1 {
			return "Please provide a username"
		}
	case "role add", "role get", "role remove":
		if n != 1 {
			return "Please provide a role name"
		}
	case "role grant", "role revoke":
		perms := 0
		for _, o := range []string{"read", "write", "readwrite"} {
			if p.on(o) {
				perms++
			}
		}
		switch {
		case p.set["path"] == "":
			return "No path specified; please use `--path`"
		case perms != 1:
			return "Please specify exactly one of --read, --write or --readwrite"
		case n != 1:
			return "Please provide a role name"
		}
	}
	return ""
}

// v2Getenv is the last value of name in environ ("" when unset).
func v2Getenv(environ []string, name string) string {
	v := ""
	for _, kv := range environ {
		if s, ok := strings.CutPrefix(kv, name+"="); ok {
			v = s
		}
	}
	return v
}
