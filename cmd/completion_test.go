package cmd

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/iostreams"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// helpHelperEnv makes the test binary act as etcdctl (with dynamic completions registered), so a
// real shell can run it through a wrapper script named etcdctl.
const helpHelperEnv = "HELP_TEST_ACT_AS_ETCDCTL"

// TestCompletionHelperProcess is not a test: it is the etcdctl the shell tests run.
func TestCompletionHelperProcess(t *testing.T) {
	if os.Getenv(helpHelperEnv) != "1" {
		t.Skip("helper process for the shell completion tests")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	streams := iostreams.System()
	f := cmdutil.NewFactory(streams, os.Environ())
	root := NewRootCmd(f)
	root.SetArgs(args)
	if err := root.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// The `completion` verb's help, argument errors (with the usage after them) and scripts.
func TestCompletionDifferential(t *testing.T) {
	cases := [][]string{
		{"completion", "--help"}, {"completion", "-h"}, {"help", "completion"},
		{"completion"}, {"completion", "foo"}, {"completion", "bash", "extra"}, {"completion", "--bogus"},
		{"completion", "zsh"}, {"completion", "fish"}, {"completion", "powershell"},
	}
	for _, args := range cases {
		t.Run(strings.Join(args, "_"), func(t *testing.T) {
			p := difftest.Compare(t, args, difftest.Opts{})
			assert.Equal(t, p.Ref.ErrLines(), p.Ours.ErrLines(), "whole stderr of %q", args)
		})
	}
	t.Run("bash", func(t *testing.T) {
		// Ours is cobra's V2 bash script (colon-safe, with descriptions); upstream ships V1.
		r := difftest.Run(t, difftest.OurBinary(t), []string{"completion", "bash"}, difftest.Opts{})
		assert.Equal(t, 0, r.Code)
		assert.True(t, strings.HasPrefix(string(r.Stdout), "# bash completion V2 for etcdctl"), "%.80s", r.Stdout)
		assert.Contains(t, string(r.Stdout), "complete -o default -F __start_etcdctl etcdctl")
	})
}

// helpComplete runs `etcdctl __complete args...` in-process with dynamic completions registered
// and returns the candidates (with descriptions) and the directive line.
func helpComplete(t *testing.T, env []string, args ...string) ([]string, string) {
	t.Helper()
	streams, _, out, _ := iostreams.Test()
	f := cmdutil.NewFactory(streams, env)
	root := NewRootCmd(f)
	root.SetArgs(append([]string{"__complete"}, args...))
	root.SetOut(out)
	root.SetErr(&bytes.Buffer{})
	require.NoError(t, root.Execute())
	var cands []string
	directive := ""
	for _, l := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		if strings.HasPrefix(l, ":") {
			directive = l
			continue
		}
		if l != "" {
			cands = append(cands, l)
		}
	}
	return cands, directive
}

// helpCompleteNames are the candidates without their descriptions.
func helpCompleteNames(cands []string) []string {
	out := make([]string, len(cands))
	for i, c := range cands {
		out[i], _, _ = strings.Cut(c, "\t")
	}
	return out
}

// helpCompletionState fills a cluster with keys, leases, users and roles for completion tests.
type helpCompletionState struct {
	leases []string
}

func helpFillCluster(t *testing.T, c *localcluster.Cluster) helpCompletionState {
	t.Helper()
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, k := range []string{"foo", "foo/bar", "foo/baz", "fox", "other", "fo\nnewline"} { // the last is never offered
		_, err := cli.Put(ctx, k, "v")
		require.NoError(t, err)
	}
	for i := 0; i < 150; i++ {
		_, err := cli.Put(ctx, fmt.Sprintf("many/%03d", i), "v")
		require.NoError(t, err)
	}
	var st helpCompletionState
	for i := 0; i < 2; i++ {
		l, err := cli.Grant(ctx, 600)
		require.NoError(t, err)
		st.leases = append(st.leases, fmt.Sprintf("%016x", l.ID))
	}
	for _, u := range []string{"alice", "bob"} {
		_, err := cli.UserAdd(ctx, u, "pw")
		require.NoError(t, err)
	}
	for _, r := range []string{"reader", "writer"} {
		_, err := cli.RoleAdd(ctx, r)
		require.NoError(t, err)
	}
	return st
}

func TestCompletionDynamic(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	st := helpFillCluster(t, c)
	ep := "--endpoints=" + c.Hosts()[0]
	m := c.Members[0]
	memberID := fmt.Sprintf("%x", m.ID())

	t.Run("keys", func(t *testing.T) {
		cands, dir := helpComplete(t, nil, ep, "get", "fo")
		assert.Equal(t, []string{"foo", "foo/bar", "foo/baz", "fox"}, cands)
		assert.Equal(t, ":4", dir, "no file completion")
		cands, _ = helpComplete(t, nil, ep, "get", "foo/")
		assert.Equal(t, []string{"foo/bar", "foo/baz"}, cands)
		cands, _ = helpComplete(t, nil, ep, "get", "foo", "foo/b")
		assert.Equal(t, []string{"foo/bar", "foo/baz"}, cands, "range_end")
		cands, _ = helpComplete(t, nil, ep, "del", "ot")
		assert.Equal(t, []string{"other"}, cands)
		cands, _ = helpComplete(t, nil, ep, "watch", "ot")
		assert.Equal(t, []string{"other"}, cands)
		cands, _ = helpComplete(t, nil, ep, "put", "ot")
		assert.Equal(t, []string{"other"}, cands)
		cands, _ = helpComplete(t, nil, ep, "put", "other", "")
		assert.Empty(t, cands, "put's value is not a key")
		cands, _ = helpComplete(t, nil, "get", "--prefix", ep, "fo")
		assert.Len(t, cands, 4, "global flag after the verb")
	})
	t.Run("bounded", func(t *testing.T) {
		cands, _ := helpComplete(t, nil, ep, "get", "many/")
		assert.Len(t, cands, 100)
		assert.Equal(t, "many/000", cands[0])
	})
	t.Run("env endpoints", func(t *testing.T) {
		cands, _ := helpComplete(t, []string{"ETCDCTL_ENDPOINTS=" + c.Endpoints()[0]}, "get", "fo")
		assert.Len(t, cands, 4)
		cands, _ = helpComplete(t, []string{"ETCDCTL_ENDPOINTS=" + c.Endpoints()[0]}, "--endpoints=127.0.0.1:1", "get", "fo")
		assert.Empty(t, cands, "flag and variable both set")
	})
	t.Run("leases", func(t *testing.T) {
		for _, verb := range []string{"timetolive", "revoke", "keep-alive"} {
			cands, _ := helpComplete(t, nil, ep, "lease", verb, "")
			assert.ElementsMatch(t, st.leases, cands, verb)
		}
		cands, _ := helpComplete(t, nil, ep, "put", "--lease", "")
		assert.ElementsMatch(t, st.leases, cands, "put --lease")
	})
	t.Run("members", func(t *testing.T) {
		for _, args := range [][]string{{"member", "remove"}, {"member", "update"}, {"member", "promote"}, {"move-leader"}} {
			cands, _ := helpComplete(t, nil, append(append([]string{ep}, args...), "")...)
			assert.Equal(t, []string{memberID + "\t" + m.Name}, cands, "%v", args)
		}
	})
	t.Run("auth names", func(t *testing.T) {
		cands, _ := helpComplete(t, nil, ep, "user", "get", "")
		assert.Equal(t, []string{"alice", "bob"}, cands)
		cands, _ = helpComplete(t, nil, ep, "user", "grant-role", "alice", "")
		assert.Equal(t, []string{"reader", "writer"}, cands)
		cands, _ = helpComplete(t, nil, ep, "role", "delete", "w")
		assert.Equal(t, []string{"writer"}, cands)
		cands, _ = helpComplete(t, nil, ep, "role", "grant-permission", "reader", "")
		assert.Equal(t, []string{"read", "write", "readwrite"}, cands)
		cands, _ = helpComplete(t, nil, ep, "role", "grant-permission", "reader", "read", "fo")
		assert.Len(t, cands, 4)
	})
	t.Run("fixed values", func(t *testing.T) {
		cands, _ := helpComplete(t, nil, "get", "-w", "")
		assert.Equal(t, []string{"fields", "json", "protobuf", "simple", "table"}, cands)
		cands, _ = helpComplete(t, nil, "-w", "j")
		assert.Equal(t, []string{"json"}, cands)
		cands, _ = helpComplete(t, nil, "get", "--sort-by", "")
		assert.Equal(t, []string{"CREATE", "KEY", "MODIFY", "VALUE", "VERSION"}, helpCompleteNames(cands))
		cands, _ = helpComplete(t, nil, "get", "--order", "")
		assert.Equal(t, []string{"ASCEND", "DESCEND"}, cands)
		cands, _ = helpComplete(t, nil, "get", "--consistency", "")
		assert.Equal(t, []string{"l\tLinearizable", "s\tSerializable"}, cands)
	})
	t.Run("files", func(t *testing.T) {
		for _, fl := range []string{"--cacert", "--cert", "--key"} {
			cands, dir := helpComplete(t, nil, "get", fl, "")
			assert.Empty(t, cands)
			assert.Equal(t, ":0", dir, "%s: default (file) completion", fl)
		}
		_, dir := helpComplete(t, nil, "snapshot", "save", "")
		assert.Equal(t, ":0", dir, "snapshot save <file>")
	})
	// last: it turns authentication on
	t.Run("auth credentials", func(t *testing.T) {
		cli, err := c.Client()
		require.NoError(t, err)
		defer cli.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err = cli.UserAdd(ctx, "root", "rootpw")
		require.NoError(t, err)
		_, err = cli.UserGrantRole(ctx, "root", "root")
		require.NoError(t, err)
		_, err = cli.AuthEnable(ctx)
		require.NoError(t, err)
		cands, _ := helpComplete(t, nil, ep, "get", "fo")
		assert.Empty(t, cands, "no credentials")
		cands, _ = helpComplete(t, nil, ep, "--user=root:rootpw", "get", "fo")
		assert.Len(t, cands, 4, "--user with password")
		cands, _ = helpComplete(t, nil, ep, "--user=root", "--password=rootpw", "get", "fo")
		assert.Len(t, cands, 4, "--user and --password")
		cands, _ = helpComplete(t, []string{"ETCDCTL_USER=root:rootpw"}, ep, "user", "get", "")
		assert.Equal(t, []string{"alice", "bob", "root"}, cands, "ETCDCTL_USER")
	})
}

// An unreachable cluster gives no candidates, promptly and silently.
func TestCompletionUnreachable(t *testing.T) {
	refused, err := localcluster.FreePort()
	require.NoError(t, err)
	// a listener that never speaks: the dial hangs until the completion's own deadline
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer silent.Close()
	for name, ep := range map[string]string{
		"refused": fmt.Sprintf("127.0.0.1:%d", refused),
		"silent":  silent.Addr().String(),
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			cands, dir := helpComplete(t, nil, "--endpoints="+ep, "--command-timeout=120s", "--dial-timeout=120s", "get", "fo")
			took := time.Since(start)
			assert.Empty(t, cands)
			assert.Equal(t, ":4", dir)
			// The completion's own short deadline ends it, not the timeouts given (two
			// minutes): a bound far from both, so a busy machine cannot decide it.
			assert.Less(t, took, 60*time.Second)
		})
	}
	t.Run("password prompt never", func(t *testing.T) {
		cands, _ := helpComplete(t, nil, "--endpoints="+silent.Addr().String(), "--user=root", "get", "fo")
		assert.Empty(t, cands)
	})
}

// helpShellEnv prepares a folder with an `etcdctl` wrapper running this test binary as etcdctl.
func helpShellEnv(t *testing.T) (dir string, env []string) {
	t.Helper()
	exe, err := os.Executable()
	require.NoError(t, err)
	dir = t.TempDir()
	wrapper := fmt.Sprintf("#!/bin/sh\n%s=1 exec %q -test.run='^TestCompletionHelperProcess$' -- \"$@\"\n", helpHelperEnv, exe)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "etcdctl"), []byte(wrapper), 0o755))
	env = []string{"PATH=" + dir + ":" + os.Getenv("PATH"), "HOME=" + dir, "COLUMNS=200", "TERM=dumb"}
	return dir, env
}

// helpEnsurePackage makes sure a file from a Debian package exists, installing the package with
// apt-get when possible; it skips the test loudly when that cannot be done (fails it in CI).
func helpEnsurePackage(t *testing.T, path, pkg string) {
	t.Helper()
	if _, err := os.Stat(path); err == nil {
		return
	}
	if _, err := exec.LookPath("apt-get"); err != nil || os.Geteuid() != 0 {
		difftest.SkipOrFail(t, "SKIPPED LOUDLY: %s is missing and cannot be installed here (need root and apt-get): apt-get install -y %s", path, pkg)
	}
	install := func() error {
		cmd := exec.Command("apt-get", "install", "-y", "--no-install-recommends", pkg)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Logf("apt-get install %s: %v\n%s", pkg, err, out)
		}
		return err
	}
	if install() != nil {
		_ = exec.Command("apt-get", "update").Run()
		_ = install()
	}
	if _, err := os.Stat(path); err != nil {
		difftest.SkipOrFail(t, "SKIPPED LOUDLY: could not install %s (%s missing)", pkg, path)
	}
}

// helpCompWords splits a command line into COMP_WORDS as readline does with the default
// COMP_WORDBREAKS (only '=' and ':' matter for these lines): breaks become words of their own.
func helpCompWords(line string) []string {
	var words []string
	for _, field := range strings.Split(line, " ") {
		cur := ""
		brk := ""
		for _, r := range field {
			if r == '=' || r == ':' {
				if cur != "" {
					words = append(words, cur)
					cur = ""
				}
				brk += string(r)
				continue
			}
			if brk != "" {
				words = append(words, brk)
				brk = ""
			}
			cur += string(r)
		}
		if brk != "" {
			words = append(words, brk)
		}
		if cur != "" || brk == "" {
			words = append(words, cur)
		}
	}
	return words
}

// helpBashDriver sources bash-completion and etcdctl's script, completes the line given as
// COMP_WORDS and prints COMPREPLY, one per line.
const helpBashDriver = `
source /usr/share/bash-completion/bash_completion || exit 90
source <(etcdctl completion bash) || exit 91
COMP_LINE=$1; COMP_POINT=${#COMP_LINE}; shift
COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
fn=$(complete -p etcdctl | sed -n 's/.*-F \([^ ]*\) .*/\1/p')
[ -n "$fn" ] || exit 92
# compopt only works inside a completion readline started: record its options and skip it
# (extdebug skips a command when the DEBUG trap returns non-zero)
helpCompopt=""
helpTrap() { case $BASH_COMMAND in "compopt "*) helpCompopt+=" ${BASH_COMMAND#compopt }"; return 1;; esac; return 0; }
set -T; shopt -s extdebug; trap helpTrap DEBUG
"$fn" etcdctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
trap - DEBUG; shopt -u extdebug; set +T
# what readline does for "complete -o default" when the function found nothing: file names
if [ ${#COMPREPLY[@]} -eq 0 ] && [[ $helpCompopt != *"+o default"* ]]; then
    mapfile -t COMPREPLY < <(compgen -f -- "${COMP_WORDS[COMP_CWORD]}")
fi
printf '%s\n' "${COMPREPLY[@]}"
`

// Completion in a real bash with bash-completion, against a real cluster.
func TestCompletionBash(t *testing.T) {
	helpEnsurePackage(t, "/usr/share/bash-completion/bash_completion", "bash-completion")
	dir, env := helpShellEnv(t)
	driver := filepath.Join(dir, "driver.bash")
	require.NoError(t, os.WriteFile(driver, []byte(helpBashDriver), 0o644))
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	st := helpFillCluster(t, c)
	host := c.Hosts()[0]

	complete := func(t *testing.T, extraEnv []string, line string) []string {
		t.Helper()
		args := append([]string{"--norc", "--noprofile", driver, line}, helpCompWords(line)...)
		cmd := exec.Command("bash", args...)
		cmd.Env = append(append([]string{}, env...), extraEnv...)
		cmd.Dir = dir
		var so, se bytes.Buffer
		cmd.Stdout, cmd.Stderr = &so, &se
		require.NoError(t, cmd.Run(), "bash completing %q: %s", line, se.String())
		assert.Empty(t, se.String(), "nothing on the terminal while completing %q", line)
		var out []string
		for _, l := range strings.Split(so.String(), "\n") {
			if l = strings.TrimRight(l, " "); l != "" {
				out = append(out, l)
			}
		}
		return out
	}
	names := func(cands []string) []string { // strip "  (description)"
		out := make([]string, len(cands))
		for i, c := range cands {
			out[i], _, _ = strings.Cut(c, "  (")
			out[i] = strings.TrimSpace(out[i])
		}
		return out
	}

	t.Run("verbs", func(t *testing.T) {
		assert.Equal(t, []string{"lease", "lock"}, names(complete(t, nil, "etcdctl l")))
		assert.Subset(t, names(complete(t, nil, "etcdctl lease ")), []string{"keep-alive", "revoke", "timetolive"})
	})
	t.Run("keys with --endpoints", func(t *testing.T) {
		assert.Equal(t, []string{"foo", "foo/bar", "foo/baz", "fox"},
			complete(t, nil, "etcdctl --endpoints="+host+" get fo"))
		assert.Equal(t, []string{"foo/bar", "foo/baz"},
			complete(t, nil, "etcdctl get --endpoints "+host+" foo/b"))
		assert.Equal(t, []string{"other"}, complete(t, nil, "etcdctl --endpoints="+host+" del o"))
	})
	t.Run("keys with ETCDCTL_ENDPOINTS", func(t *testing.T) {
		assert.Equal(t, []string{"foo/bar", "foo/baz"},
			complete(t, []string{"ETCDCTL_ENDPOINTS=" + c.Endpoints()[0]}, "etcdctl watch foo/"))
	})
	t.Run("leases", func(t *testing.T) {
		assert.ElementsMatch(t, st.leases, complete(t, nil, "etcdctl --endpoints="+host+" lease revoke "))
	})
	t.Run("members", func(t *testing.T) {
		got := complete(t, nil, "etcdctl --endpoints="+host+" member remove ")
		require.Len(t, got, 1)
		assert.Equal(t, fmt.Sprintf("%x", c.Members[0].ID()), got[0], "a single candidate is inserted without its description")
	})
	t.Run("users and roles", func(t *testing.T) {
		assert.Equal(t, []string{"alice", "bob"}, complete(t, nil, "etcdctl --endpoints="+host+" user delete "))
		assert.Equal(t, []string{"reader", "writer"}, names(complete(t, nil, "etcdctl --endpoints="+host+" role get ")))
	})
	t.Run("flag values", func(t *testing.T) {
		assert.Equal(t, []string{"json"}, complete(t, nil, "etcdctl get -w j"))
		assert.Equal(t, []string{"json"}, complete(t, nil, "etcdctl get --write-out=j"))
		assert.Equal(t, []string{"ASCEND", "DESCEND"}, complete(t, nil, "etcdctl get --order "))
	})
	t.Run("files", func(t *testing.T) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "ca-bundle.pem"), nil, 0o644))
		assert.Equal(t, []string{"ca-bundle.pem"}, complete(t, nil, "etcdctl --cacert ca-"))
		assert.Equal(t, []string{"ca-bundle.pem"}, complete(t, nil, "etcdctl snapshot save ca-"))
	})
	t.Run("fish keys and members", func(t *testing.T) {
		helpEnsurePackage(t, "/usr/bin/fish", "fish")
		fish := func(line string) string {
			cmd := exec.Command("fish", "--no-config", "-c", "etcdctl completion fish | source; and complete -C "+fmt.Sprintf("%q", line))
			cmd.Env, cmd.Dir = env, dir
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "%s", out)
			return string(out)
		}
		assert.Equal(t, "foo/bar\nfoo/baz\n", fish("etcdctl --endpoints="+host+" get foo/"))
		assert.Equal(t, fmt.Sprintf("%x\t%s\n", c.Members[0].ID(), c.Members[0].Name),
			fish("etcdctl --endpoints="+host+" move-leader "), "member name as description")
	})
	t.Run("unreachable", func(t *testing.T) {
		port, err := localcluster.FreePort()
		require.NoError(t, err)
		// a file that would be offered if the script fell back to file names
		require.NoError(t, os.WriteFile(filepath.Join(dir, "fo-file"), nil, 0o644))
		assert.Empty(t, complete(t, nil, fmt.Sprintf("etcdctl --endpoints=127.0.0.1:%d get fo", port)))
	})
}

// The zsh and fish scripts load without error (and register the completion) when those shells
// can be installed.
func TestCompletionZshFishLoad(t *testing.T) {
	t.Run("zsh", func(t *testing.T) {
		helpEnsurePackage(t, "/usr/bin/zsh", "zsh")
		_, env := helpShellEnv(t)
		cmd := exec.Command("zsh", "-f", "-c",
			`autoload -U compinit && compinit -u && source <(etcdctl completion zsh) && print -r -- ${_comps[etcdctl]}`)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		assert.Equal(t, "_etcdctl\n", string(out))
	})
	t.Run("fish", func(t *testing.T) {
		helpEnsurePackage(t, "/usr/bin/fish", "fish")
		_, env := helpShellEnv(t)
		cmd := exec.Command("fish", "--no-config", "-c",
			`etcdctl completion fish | source; and complete -C 'etcdctl lea'`)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		assert.Contains(t, string(out), "lease")
	})
}

// Every command of the real tree whose arguments name keys, leases, members, users or roles that
// already exist completes them (its constructor attaches the completion); a command that names
// a new one (`user add`, `role add`, `member add`) has nothing to complete.
func TestCompletionEveryCommandThatTakesNames(t *testing.T) {
	streams, _, _, _ := iostreams.Test()
	root := NewRootCmd(cmdutil.NewFactory(streams, nil))
	names := []string{"<key>", "[key or prefix]", "<leaseID>", "<memberID>", "member-id>", "<user name>", "<role name>", "<filename>"}
	checked := 0
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		if c.Name() == "add" {
			return
		}
		for _, n := range names {
			if strings.Contains(c.Use, n) {
				checked++
				assert.NotNil(t, c.ValidArgsFunction, "%q takes %s but completes nothing", c.CommandPath(), n)
				return
			}
		}
	}
	walk(root)
	assert.GreaterOrEqual(t, checked, 20, "commands found that take names")
}
