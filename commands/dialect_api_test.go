package commands_test

import (
	"strings"
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
)

// ETCDCTL_API per dialect: 3.5 refuses values other than 3 (and empty) and runs its v2 client's
// front for 2; 3.6 and 3.7 ignore the variable. Against each release's reference, with a v3-only
// server answering the v2 verbs and a refused port.
func TestDialectAPIVar(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	up := "--endpoints=" + c.Endpoints()[0]
	refused := "--endpoints=http://127.0.0.1:" + freeClosedPort(t)
	cases := [][]string{
		{"version"}, {"--version"}, {"-v"}, {}, {"--help"}, {"-h"}, {"help"}, {"h"}, {"bogus"}, {"--bogus"},
		{"--timeout=x", "get"}, {"backup"},
		{up, "get", "k"}, {up, "ls"}, {up, "updatedir", "d"}, {up, "--no-sync", "-o", "json", "get", "k"},
		{up, "cluster-health"}, {up, "member", "list"}, {up, "user", "list"},
		{refused, "get", "k"}, {refused, "mk", "k", "v"}, {refused, "cluster-health"},
		{"--endpoints", refused[len("--endpoints="):] + "," + strings.TrimPrefix(refused, "--endpoints="), "get", "k"},
		{"--endpoints", "127.0.0.1:1", "get", "k"},
		{up, "put", "k", "v"}, {up, "get", "k"},
		// help pages
		{"help", "get"}, {"get", "-h"}, {"get", "--help"}, {"h", "exec-watch"}, {"help", "member"}, {"help", "member", "list"},
		{"help", "help"}, {"help", "h"}, {"help", "bogus"}, {"member"}, {"member", "-h"}, {"member", "help"}, {"user", "h"},
		{"member", "list", "-h"}, {"member", "help", "list"}, {"role", "help", "add"}, {"member", "help", "bogus"},
		{"member", "bogus"}, {"auth"}, {"auth", "enable", "--help"},
	}
	refs := append([]struct{ name, version string }{{"3.7", ""}}, dialectRefs...)
	for _, d := range refs {
		t.Run(d.name, func(t *testing.T) {
			opts := difftest.Opts{Env: []string{"ETCDCTL_COMPAT=" + d.name}}
			if d.version != "" {
				opts.Ref = difftest.RefBinaryAt(t, d.version)
			}
			for _, api := range []string{"2", "4", "3.0", "v3", "x", "3", ""} {
				o := opts
				o.Env = append(append([]string{}, opts.Env...), "ETCDCTL_API="+api)
				v3 := d.name != "3.5" || api == "3" || api == ""
				for _, args := range cases {
					if v3 && strings.Contains(strings.Join(args, " "), "127.0.0.1:") && !strings.Contains(strings.Join(args, " "), up) {
						// the v3 client against a refused port: ours fails fast with the dial
						// error (docs/ARCHITECTURE.md), the reference after its timeout
						continue
					}
					t.Run("API="+api+" "+strings.Join(args, " "), func(t *testing.T) {
						difftest.Compare(t, args, o)
					})
				}
			}
			if d.name == "3.5" {
				// our switch given as a flag is not passed on to the v2 client
				for _, args := range [][]string{{"--compat=3.5", "--version"}, {"--compat", "3.5", "-v"}, {"--compat", "3.5", "bogus"}} {
					r := difftest.Run(t, difftest.OurBinary(t), args, difftest.Opts{Env: []string{"ETCDCTL_API=2"}})
					ref := difftest.Run(t, opts.Ref, args[len(args)-1:], difftest.Opts{Env: []string{"ETCDCTL_API=2"}})
					assert.Equal(t, string(ref.Stdout), string(r.Stdout), "%v", args)
					assert.Equal(t, ref.Code, r.Code, "%v", args)
					assert.Equal(t, ref.FirstErrLine(), r.FirstErrLine(), "%v", args)
				}
			}
			// the v2 client's default endpoints, tried in a random order by the reference
			o := opts
			o.Env = append(append([]string{}, opts.Env...), "ETCDCTL_API=2")
			p := difftest.Both(t, []string{"get", "k"}, o)
			assert.Equal(t, p.Ref.Code, p.Ours.Code)
			if d.name == "3.5" {
				assert.Regexp(t, `^Error:  client: etcd cluster is unavailable or misconfigured; error #0: dial tcp 127\.0\.0\.1:(2379|4001): `, p.Ours.FirstErrLine())
				assert.Equal(t, strings.Count(string(p.Ref.Stderr), "\n"), strings.Count(string(p.Ours.Stderr), "\n"))
			}
		})
	}
}

// The v2 client's complaints about a group verb's arguments come before it connects.
func TestDialectV2ArgChecks(t *testing.T) {
	refused := "--endpoints=http://127.0.0.1:" + freeClosedPort(t)
	opts := difftest.Opts{Env: []string{"ETCDCTL_COMPAT=3.5", "ETCDCTL_API=2"}, Ref: difftest.RefBinaryAt(t, "v3.5.35")}
	for _, line := range []string{"member add", "member add x", "member add a b c", "member remove", "member remove a b",
		"member update", "member update x", "user add", "user add a b", "user get", "user remove", "user passwd",
		"user grant", "user grant u", "user revoke u", "role add", "role get", "role remove", "role grant", "role grant r",
		"role revoke r", "member remove a"} {
		args := append([]string{refused}, strings.Fields(line)...)
		t.Run(line, func(t *testing.T) { difftest.Compare(t, args, opts) })
	}
}

// The v2 client's verb options: each verb's own (read from its help page) and --help, parsed
// as Go's flag package does after the verb's options are moved before its other words; a
// group's options before its sub-verb. Errors print "Incorrect Usage" and the verb's page.
func TestDialectV2Options(t *testing.T) {
	refused := "--endpoints=http://127.0.0.1:" + freeClosedPort(t)
	opts := difftest.Opts{Env: []string{"ETCDCTL_COMPAT=3.5", "ETCDCTL_API=2"}, Ref: difftest.RefBinaryAt(t, "v3.5.35")}
	for _, line := range []string{
		"user list -w fields", "get -w k", "get k -w", "user add -w", "user add foo -w", "user grant --roles",
		"user grant foo --roles", "user grant foo --roles r", "user grant --roles= foo", "user revoke --roles r a b",
		"get --sort=x k", "get k --sort=x", "get -sort=1 k", "get --sort -w k", "get -q=true -w", "get -- -w", "get ---w k",
		"get -=x k", "get - k", "set --ttl abc k v", "set --ttl=abc k v", "set k v --ttl abc", "set --ttl -1 k v",
		"set --ttl=-1 k v", "set --ttl 99999999999999999999 k v", "set --ttl 0x10 k v", "set --ttl 5 --ttl x k v",
		"set --ttl", "mkdir --ttl 1.5 d", "watch --after-index -1 k", "watch --after-index=-1 k", "rm --with-index -1 k",
		"rm --with-value -- k", "rm --with-value -x k", "rm -r=x k", "ls -p -r", "ls -pr", "ls -p=x", "cluster-health -f=false",
		"cluster-health --forever=maybe", "exec-watch -x", "backup -x", "backup --with-v3=x", "mk --in-order=2 k v",
		"user list -h extra", "user get -w -h", "user get foo -h", "member update -h x", "get -help", "get --help=false k",
		"user -w list", "user -w", "user -x list", "user --help list", "user -h", "user --help=false list", "member --bad",
		"auth -h", "auth enable -x", "member add -w", "member -w", "role -x=1 add r",
		"user list extra", "role list extra", "member list extra", "auth enable extra", "auth disable x",
		"role grant --path /x --read", "role grant --path /x --read a b", "role revoke --path /x", "role revoke --path /x a",
		"role revoke --path /x --write a b", "role grant --path= --read foo", "role grant --read --write --path /x foo",
		"role grant --rw --path /a foo", "role grant --readwrite=false --read --path /a foo", "role grant --path /x --rw=true --write=false a",
		"role grant --path", "role grant --path /x --rw=2 a", "user grant --roles=, a", "user passwd a -x",
		// the global options, read from the client's own help page with the same parser
		"--debug=x get k", "--no-sync=0 get k", "---x get k", "-=x get k", "--version=maybe", "-v=false", "--output",
		"--timeout=1x get k", "--total-timeout=99999999999h ls", "-h=false", "-o json -- get", "--timeout 1s -C",
	} {
		args := append([]string{refused}, strings.Fields(line)...)
		t.Run(line, func(t *testing.T) { difftest.Compare(t, args, opts) })
	}
}

// A range delete without --range: 3.5 prints its notice and goes on at once; 3.6 warns and
// waits as 3.7 does. The same inside a txn.
func TestDialectDelRangeNotice(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	for _, d := range dialectRefs {
		opts := dialectOpts(t, d.name, d.version)
		opts.Env = append(opts.Env, "ETCDCTL_ENDPOINTS="+c.Hosts()[0])
		for _, args := range [][]string{{"del", "nx1", "nx3"}, {"del", "nx1", ""}, {"del", "nx1", "nx3", "--range"}, {"del", "--prefix", "nx"}} {
			t.Run(d.name+" "+strings.Join(args, " "), func(t *testing.T) { difftest.Compare(t, args, opts) })
		}
		o := opts
		o.Stdin = "\ndel nx1 nx3\n\n"
		t.Run(d.name+" txn", func(t *testing.T) { difftest.Compare(t, []string{"txn"}, o) })
	}
}

// The v2 client's endpoints: --endpoints, --endpoint and --peers (-C), each from its flag or else
// its ETCDCTL_* variable, the first set of the three winning; a bare host:port does not parse.
func TestDialectV2Endpoints(t *testing.T) {
	u := func() string { return "http://127.0.0.1:" + freeClosedPort(t) }
	e1, e2, e3, f1, f2, f3 := u(), u(), u(), u(), u(), u()
	for _, env := range [][]string{{"ETCDCTL_ENDPOINTS=" + e1}, {"ETCDCTL_ENDPOINTS=" + strings.TrimPrefix(e1, "http://")},
		{"ETCDCTL_PEERS=" + e2}, {"ETCDCTL_ENDPOINT=" + e3}, {"ETCDCTL_PEERS=" + e2, "ETCDCTL_ENDPOINT=" + e3}} {
		for _, flags := range [][]string{nil, {"--peers", f1}, {"-C", f2, "--endpoint", f3}} {
			opts := difftest.Opts{Env: append([]string{"ETCDCTL_COMPAT=3.5", "ETCDCTL_API=2"}, env...), Ref: difftest.RefBinaryAt(t, "v3.5.35")}
			args := append(append([]string{}, flags...), "ls")
			t.Run(strings.Join(env, " ")+" "+strings.Join(args, " "), func(t *testing.T) { difftest.Compare(t, args, opts) })
		}
	}
}
