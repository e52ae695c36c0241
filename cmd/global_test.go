package cmd

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Global flags and their ETCDCTL_* twins, against the reference, on one real member (reads only).
func TestGlobalFlagsAndEnvDifferential(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	_, err = cli.Put(context.Background(), "k1", "v1")
	require.NoError(t, err)
	host := c.Hosts()[0]
	url := c.Endpoints()[0]

	cases := []struct {
		env  []string
		args string
	}{
		{[]string{"ETCDCTL_ENDPOINTS=" + host}, "get k1"},
		{[]string{"ETCDCTL_ENDPOINTS=" + url}, "get k1"},
		{[]string{"ETCDCTL_ENDPOINTS=" + host, "ETCDCTL_WRITE_OUT=json"}, "get k1"},
		{[]string{"ETCDCTL_ENDPOINTS=" + host, "ETCDCTL_WRITE_OUT=fields", "ETCDCTL_HEX=true"}, "get k1"},
		{[]string{"ETCDCTL_ENDPOINTS=" + host, "ETCDCTL_HEX=true"}, "get k1"},
		{[]string{"ETCDCTL_ENDPOINTS=" + host, "ETCDCTL_HEX=yes"}, "get k1"},
		{[]string{"ETCDCTL_ENDPOINTS=" + host, "ETCDCTL_DIAL_TIMEOUT=bad"}, "get k1"},
		{[]string{"ETCDCTL_ENDPOINTS=" + host, "ETCDCTL_DIAL_TIMEOUT=3s"}, "get k1"},
		{[]string{"ETCDCTL_ENDPOINTS=" + host, "ETCDCTL_COMMAND_TIMEOUT=1ns"}, "get k1"},
		{[]string{"ETCDCTL_ENDPOINTS=" + host, "ETCDCTL_API=3"}, "get k1"},
		{[]string{"ETCDCTL_ENDPOINTS=" + host, "ETCDCTL_API=2"}, "get k1"},
		{[]string{"ETCDCTL_ENDPOINTS=" + host, "ETCDCTL_UNKNOWN_THING=1"}, "get k1"},
		{[]string{"ETCDCTL_ENDPOINTS=" + host, "ETCDCTL_WRITE_OUT=bogus"}, "get k1"},
		{[]string{"ETCDCTL_ENDPOINTS=" + host, "ETCDCTL_WRITE_OUT=json"}, "version"},
		{[]string{"ETCDCTL_ENDPOINTS=127.0.0.1:1"}, "version"},
		{[]string{"ETCDCTL_ENDPOINTS=127.0.0.1:1," + host}, "get k1"},
		{nil, "--endpoints=" + host + " get k1"},
		{[]string{"ETCDCTL_HEX=", "ETCDCTL_WRITE_OUT="}, "--endpoints=" + host + " get k1"},
		{nil, "--endpoints=" + url + " --write-out=fields get k1"},
		{nil, "--endpoints=" + host + " --command-timeout=1ns get k1"},
		{nil, "--endpoints=" + host + " --dial-timeout=xx get k1"},
		{nil, "--endpoints=" + host + " --cacert=/nonexistent/ca.pem get k1"},
		{nil, "--endpoints=" + host + " -w json --hex get k1"},
		{nil, "--endpoints=" + host + " --max-request-bytes=10 put k1 0123456789abcdef"},
		{nil, "--endpoints=" + host + " --max-recv-bytes=10 get k1"},
		{nil, "--endpoints=" + host + " ge k1"},
		// gRPC keep-alive settings: values, bad values, their variables.
		{nil, "--endpoints=" + host + " --keepalive-time=1s --keepalive-timeout=1s get k1"},
		{nil, "--endpoints=" + host + " --keepalive-time=xx get k1"},
		{nil, "--endpoints=" + host + " --keepalive-timeout=-1s get k1"},
		{nil, "--endpoints=" + host + " --keepalive-time 0 get k1"},
		{[]string{"ETCDCTL_ENDPOINTS=" + host, "ETCDCTL_KEEPALIVE_TIME=1s", "ETCDCTL_KEEPALIVE_TIMEOUT=500ms"}, "get k1"},
		{[]string{"ETCDCTL_ENDPOINTS=" + host, "ETCDCTL_KEEPALIVE_TIME=bad"}, "get k1"},
		{[]string{"ETCDCTL_ENDPOINTS=" + host, "ETCDCTL_KEEPALIVE_TIMEOUT=bad"}, "get k1"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.env, ",")+" "+tc.args, func(t *testing.T) {
			difftest.Compare(t, strings.Fields(tc.args), difftest.Opts{Env: tc.env})
		})
	}
}

// Flag and variable for the same setting is fatal in both (upstream's line is a JSON log line).
func TestGlobalEnvConflict(t *testing.T) {
	p := difftest.Both(t, []string{"--endpoints=127.0.0.1:1", "get", "k"}, difftest.Opts{Env: []string{"ETCDCTL_ENDPOINTS=127.0.0.1:2"}})
	assert.Equal(t, p.Ref.Code, p.Ours.Code)
	assert.Equal(t, string(p.Ref.Stdout), string(p.Ours.Stdout))
	assert.Contains(t, p.Ours.FirstErrLine(), "conflicting environment variable \"ETCDCTL_ENDPOINTS\"")

	// The keep-alive variables conflict with their flags too (upstream logs a fatal line; ours
	// says it as an Error line).
	p = difftest.Both(t, []string{"--keepalive-time=2s", "--endpoints=127.0.0.1:1", "get", "k"}, difftest.Opts{Env: []string{"ETCDCTL_KEEPALIVE_TIME=1s"}})
	assert.Equal(t, p.Ref.Code, p.Ours.Code)
	assert.Contains(t, string(p.Ref.Stderr), `"environment-variable":"ETCDCTL_KEEPALIVE_TIME"`)
	assert.Contains(t, p.Ours.FirstErrLine(), "conflicting environment variable \"ETCDCTL_KEEPALIVE_TIME\"")

	// An empty variable still conflicts with its flag, as upstream.
	p = difftest.Both(t, []string{"--hex", "--endpoints=127.0.0.1:1", "get", "k"}, difftest.Opts{Env: []string{"ETCDCTL_HEX="}})
	assert.Equal(t, p.Ref.Code, p.Ours.Code)
	assert.Equal(t, 1, p.Ours.Code)
	assert.Contains(t, p.Ours.FirstErrLine(), "conflicting environment variable \"ETCDCTL_HEX\"")
}

// Nothing listening on the default endpoint: the seed's guide line, at once.
func TestGlobalRefusedFailsFast(t *testing.T) {
	port, err := localcluster.FreePort()
	require.NoError(t, err)
	ep := "127.0.0.1:" + strconv.Itoa(port)
	// Timeouts of a minute: ending well within them shows the refusal was not waited out,
	// whatever the machine's speed.
	r := difftest.Run(t, difftest.OurBinary(t), []string{"get", "k"}, difftest.Opts{Env: []string{"ETCDCTL_ENDPOINTS=" + ep,
		"ETCDCTL_DIAL_TIMEOUT=60s", "ETCDCTL_COMMAND_TIMEOUT=60s"}, Timeout: 2 * time.Minute})
	assert.Equal(t, 1, r.Code)
	assert.Equal(t, "Error: dial tcp "+ep+": connect: connection refused", r.FirstErrLine())
	assert.Less(t, r.Took.Seconds(), 30.0, "well within the dial and command timeouts")
}

// --debug lists the settings but never a secret.
func TestGlobalDebugMasksSecrets(t *testing.T) {
	r := difftest.Run(t, difftest.OurBinary(t), []string{"--debug", "--endpoints=127.0.0.1:1", "--user=alice:s3cr3t-pw", "get", "k"}, difftest.Opts{})
	assert.Contains(t, string(r.Stderr), "ETCDCTL_USER=alice:******")
	assert.NotContains(t, string(r.Stderr)+string(r.Stdout), "s3cr3t-pw")
}

// Upstream resolves SRV discovery and prompts for the --user password before it checks -w, and
// reads the TLS files after. Found by the generated differential tests (seed 3 line 2072:
// `-w "" get "sp ace" -dash`, where -dash is -d ash, --discovery-srv=ash).
func TestGlobalOrderOfChecksDifferential(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	env := []string{"ETCDCTL_ENDPOINTS=" + c.Hosts()[0]}
	cases := []string{
		"-w bogus --discovery-srv=example.invalid get k1",
		"-w bogus --discovery-srv=example.invalid --user alice get k1",
		"-w bogus --user alice get k1",
		"-w bogus --user alice --cacert=/nonexistent/ca.pem get k1",
		"--user alice --cacert=/nonexistent/ca.pem get k1",
		"-w bogus --cacert=/nonexistent/ca.pem get k1",
	}
	// Verbs that build their clients themselves follow the same order.
	for _, verb := range []string{"endpoint status", "endpoint health", "endpoint hashkv", "txn", "defrag",
		"move-leader 1", "snapshot save x.db", "member add x --peer-urls=http://127.0.0.1:1"} {
		cases = append(cases, "-w bogus --discovery-srv=example.invalid "+verb, "-w bogus --user alice "+verb)
	}
	for _, args := range cases {
		t.Run(args, func(t *testing.T) {
			p := difftest.Both(t, strings.Fields(args), difftest.Opts{Env: env, Stdin: "pw\n"})
			assert.Equal(t, string(p.Ref.Stdout), string(p.Ours.Stdout))
			assert.Equal(t, p.Ref.Code, p.Ours.Code)
			refErr := ""
			for _, l := range p.Ref.ErrLines() {
				if strings.HasPrefix(l, "Error: ") { // the reference's stty noise comes first
					refErr = l
					break
				}
			}
			assert.Equal(t, refErr, p.Ours.FirstErrLine())
		})
	}
}

// --debug lists the settings the running verb inherits (the globals, and endpoint's --cluster),
// as each release lists them; 3.5's endpoint health lists none. (gRPC's own debug log lines are
// log noise and not compared.)
func TestGlobalDebugSettingsDifferential(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	settings := func(stderr []byte) []string {
		var out []string
		for _, l := range strings.Split(string(stderr), "\n") {
			if strings.HasPrefix(l, "ETCDCTL_") {
				out = append(out, l)
			}
		}
		return out
	}
	for _, rel := range []struct{ compat, ref string }{{"3.7", ""}, {"3.6", "v3.6.16"}, {"3.5", "v3.5.35"}} {
		opts := difftest.Opts{Env: []string{"ETCDCTL_COMPAT=" + rel.compat, "ETCDCTL_ENDPOINTS=" + c.Hosts()[0]}}
		if rel.ref != "" {
			opts.Ref = difftest.RefBinaryAt(t, rel.ref)
		}
		for _, line := range []string{"get k", "endpoint status", "endpoint health", "endpoint hashkv --cluster",
			"member list", "-w json endpoint status --cluster"} {
			args := append([]string{"--debug"}, strings.Fields(line)...)
			t.Run(rel.compat+" "+line, func(t *testing.T) {
				p := difftest.Both(t, args, opts)
				assert.Equal(t, p.Ref.Code, p.Ours.Code)
				assert.Equal(t, settings(p.Ref.Stderr), settings(p.Ours.Stderr))
			})
		}
	}
}
