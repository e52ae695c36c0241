package cmd

import (
	"strings"
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/dialect"
	"github.com/etcdctl-rewritten/etcdctl/internal/iostreams"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// verbTable names each verb as its constructor does, and lists every verb of the tree.
func TestVerbTableMatchesTree(t *testing.T) {
	streams, _, _, _ := iostreams.Test()
	f := cmdutil.NewFactory(streams, nil)
	names := map[string]bool{}
	for _, v := range verbTable {
		c := v.build(f)
		assert.Equal(t, v.name, c.Name())
		assert.Equal(t, v.own, c.Hidden, "%s: our own verbs, and only they, are hidden", v.name)
		names[v.name] = true
	}
	for _, c := range NewRootCmd(f).Commands() {
		if c.Name() != "help" {
			assert.True(t, names[c.Name()], "verb %q missing from verbTable", c.Name())
		}
	}
}

func TestNamedVerb(t *testing.T) {
	d37, _ := dialect.Get("3.7")
	d35, _ := dialect.Get("3.5")
	streams, _, _, _ := iostreams.Test()
	root := NewRootCmd(cmdutil.NewFactory(streams, nil))
	for argv, want := range map[string]string{
		"get k":                              "get",
		"--endpoints a:1 get k":              "get",
		"--endpoints=a:1 -w json get k":      "get",
		"-wjson --hex member list":           "member",
		"--debug --insecure-transport put k": "put",
		"--compat 3.7 version":               "version",
		"ge k":                               "", // a prefix: cobra resolves it against every verb
		"gett k":                             "", // unknown: suggestions need every verb
		"help get":                           "",
		"__complete get ''":                  "",
		"completion bash":                    "", // the script covers the whole tree
		"--prefix get k":                     "", // a verb's flag first: left to cobra
		"-h get":                             "",
		"-- get":                             "",
		"":                                   "",
		"--endpoints":                        "",
	} {
		w, plain := verbWord(root.PersistentFlags(), strings.Fields(argv))
		assert.Equal(t, want, namedVerb(w, plain, d37), argv)
	}
	assert.Equal(t, "", namedVerb("options", true, d35), "a verb 3.5 lacks: the whole tree reports it")
	assert.Equal(t, "options", namedVerb("options", true, d37))
}

// A run built with only the named verb prints exactly what the whole tree prints: help pages,
// flag and argument errors, unknown commands, every dialect. No cluster: anything that would
// connect is pointed at a closed port.
func TestLazyTreeSameAsWhole(t *testing.T) {
	var lines []string
	for _, v := range verbTable {
		lines = append(lines, v.name+" --help", v.name+" --bogus", v.name+" -w yaml x", "--hex "+v.name+" -h")
	}
	lines = append(lines, "get", "get a b c", "put", "del", "lease grant x", "lease", "member remove zz",
		"-w table get k", "--endpoints=127.0.0.1:1 --dial-timeout=bad get k", "ge", "gett",
		"--compat=3.5 options", "--compat=3.6 get --stream k", "user add", "role grant-permission r",
		"__complete get ''", "__complete ge", "__complete --endpoints=127.0.0.1:1 lease revoke ''",
		"__complete get --w", "__complete -w json member remove ''", "__completeNoDesc put k --",
		"__complete user", "__complete user get ''", "__complete", "__complete --compat 3.5 snap",
		"i", "im", "con", "-w json i", "help import", "help i", "import --help", "du --bogus", "co", "d",
		"version", "options", "check perf --load x", "txn --bogus", "watch -w yaml", "snapshot save",
		"--compat 3.5 snapshot status", "elect", "lock", "endpoint status -w bogus")
	env := []string{"ETCDCTL_ENDPOINTS=127.0.0.1:1", "ETCDCTL_DIAL_TIMEOUT=50ms", "ETCDCTL_COMMAND_TIMEOUT=100ms"}
	for _, line := range lines {
		for _, prog := range []string{"etcdctl", "etcdctl-3.5", "etcdctl-3.6"} {
			argv := strings.Fields(line)
			for i, a := range argv {
				if a == "''" {
					argv[i] = "" // the empty word a TAB press completes
				}
			}
			run := func(whole bool) (string, string, int) {
				streams, _, out, errOut := iostreams.Test()
				code := mainAs(prog, argv, streams, env, whole)
				return out.String(), errOut.String(), code
			}
			o1, e1, c1 := run(false)
			o2, e2, c2 := run(true)
			require.Equal(t, c2, c1, "%s %s: exit code", prog, line)
			require.Equal(t, o2, o1, "%s %s: stdout", prog, line)
			require.Equal(t, e2, e1, "%s %s: stderr", prog, line)
		}
	}
}
