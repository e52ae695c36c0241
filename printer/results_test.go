package printer

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// printed runs write on a printer of the given format and returns the bytes it wrote.
func printed(t *testing.T, format string, write func(p *Printer) error) string {
	t.Helper()
	var buf bytes.Buffer
	p, err := New(format, false, &buf)
	require.NoError(t, err)
	require.NoError(t, write(p))
	require.NoError(t, p.Flush())
	return buf.String()
}

// The result lines of the verbs that print the same text whatever -w says (upstream's words).
func TestFixedResultLines(t *testing.T) {
	for _, tc := range []struct {
		name  string
		write func(p *Printer) error
		want  string
	}{
		{"check perf pass", func(p *Printer) error {
			p.CheckPerf(CheckPerfResult{Throughput: 150, ThroughputOK: true, Slowest: 0.012345678, SlowestOK: true, Stddev: 0.001, StddevOK: true})
			return nil
		}, "PASS: Throughput is 150 writes/s\nPASS: Slowest request took 0.012346s\nPASS: Stddev is 0.001000s\nPASS\n"},
		{"check perf each figure failing", func(p *Printer) error {
			p.CheckPerf(CheckPerfResult{Throughput: 3, Slowest: 0.75, Stddev: 0.2})
			return nil
		}, "FAIL: Throughput too low: 3 writes/s\nSlowest request took too long: 0.750000s\nStddev too high: 0.200000s\nFAIL\n"},
		{"check perf one figure failing", func(p *Printer) error {
			p.CheckPerf(CheckPerfResult{Throughput: 150, ThroughputOK: true, Slowest: 0.6, StddevOK: true})
			return nil
		}, "PASS: Throughput is 150 writes/s\nSlowest request took too long: 0.600000s\nPASS: Stddev is 0.000000s\nFAIL\n"},
		{"check clean-up", func(p *Printer) error {
			p.CheckCompacting(7)
			p.CheckCompacted(7)
			p.CheckDefragmenting("127.0.0.1:2379")
			p.CheckDefragmented("127.0.0.1:2379")
			return nil
		}, "Compacting with revision 7\nCompacted with revision 7\nDefragmenting \"127.0.0.1:2379\"\nDefragmented \"127.0.0.1:2379\"\n"},
		{"check datascale", func(p *Printer) error {
			p.CheckDatascaleStart(10000, 1024, 50)
			p.CheckDatascalePass(-1.005)
			return nil
		}, "Start data scale check for work load [10000 key-value pairs, 1024 bytes per key-value, 50 concurrent clients].\nPASS: Approximate system memory used : -1.00 MB.\n"},
		{"mirror count", func(p *Printer) error { p.MirrorCount(0); p.MirrorCount(-1); p.MirrorCount(1234567); return nil }, "0\n-1\n1234567\n"},
		{"version", func(p *Printer) error { p.Version("3.7.3", "3.7"); return nil }, "etcdctl version: 3.7.3\nAPI version: 3.7\n"},
		{"options", func(p *Printer) error { p.Options("  --x\n"); return nil }, "The following options can be passed to any command:\n\n  --x\n"},
		{"compacted", func(p *Printer) error { p.Compacted(42); return nil }, "compacted revision 42\n"},
		{"rolling defrag", func(p *Printer) error {
			p.DefragRollingMember("m1", "leader", "h:1", 2<<20, 1<<20, 1234567*time.Microsecond)
			p.DefragRollingTotal(3, 100, 200) // grew: nothing reclaimed
			return nil
		}, "Defragmented etcd member m1 [leader] h:1: 2.1 MB -> 1.0 MB, took 1.235s\nReclaimed 0 B in total (3 members, 100 B -> 200 B)\n"},
		{"healthy endpoint", func(p *Printer) error {
			p.EndpointHealthy(EndpointHealthRow{Endpoint: "h:1", Health: true, Took: "2ms"})
			return nil
		}, "h:1 is healthy: successfully committed proposal: took = 2ms\n"},
		{"config lines", func(p *Printer) error {
			p.ConfigCurrentContext("prod")
			p.ConfigSwitched("a b")
			p.ConfigDeleted("x", "/c.yaml")
			p.ConfigSaved("x", true)
			p.ConfigSaved("x", false)
			p.ConfigView([]byte("contexts: []\n"))
			return nil
		}, "prod\nSwitched to context \"a b\".\nDeleted context \"x\" from /c.yaml.\nContext \"x\" created.\nContext \"x\" modified.\ncontexts: []\n"},
		{"script", func(p *Printer) error {
			return p.Script(func(w io.Writer) error { _, err := io.WriteString(w, "# script\n"); return err })
		}, "# script\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, format := range []string{"simple", "json", "table"} {
				assert.Equal(t, tc.want, printed(t, format, tc.write), format)
			}
		})
	}
}

// Script hands the generator's error back.
func TestScriptError(t *testing.T) {
	p := Plain(io.Discard)
	boom := errors.New("boom")
	assert.Equal(t, boom, p.Script(func(io.Writer) error { return boom }))
	assert.Equal(t, Simple, p.Format)
}

// An import's report: a sentence (singular for one key), or a JSON document with -w json.
func TestImportResult(t *testing.T) {
	w := func(n int64, dry bool) func(p *Printer) error {
		return func(p *Printer) error { return p.ImportResult(n, dry) }
	}
	assert.Equal(t, "Imported 1 key\n", printed(t, "simple", w(1, false)))
	assert.Equal(t, "Imported 700 keys\n", printed(t, "table", w(700, false)))
	assert.Equal(t, "Would import 0 keys (dry run)\n", printed(t, "simple", w(0, true)))
	assert.Equal(t, `{"keys":3,"dry_run":true}`+"\n", printed(t, "json", w(3, true)))
}

// get-contexts in its three formats.
func TestConfigContexts(t *testing.T) {
	list := []ConfigContext{
		{Name: "prod", Current: true, Settings: map[string]string{"user": "root", "endpoints": "a:1"}, Endpoints: "a:1", User: "root", TLS: "yes"},
		{Name: "local", Endpoints: "127.0.0.1:2379", TLS: "no"},
	}
	w := func(p *Printer) error { return p.ConfigContexts("prod", list) }
	assert.Equal(t, "CURRENT   NAME    ENDPOINTS        USER   TLS\n"+
		"*         prod    a:1              root   yes\n"+
		"          local   127.0.0.1:2379          no\n", printed(t, "simple", w))
	assert.Equal(t, `{"contexts":[{"name":"prod","current":true,"settings":{"endpoints":"a:1","user":"root"}},`+
		`{"name":"local","current":false,"settings":{}}],"current-context":"prod"}`+"\n", printed(t, "json", w))
	tbl := printed(t, "table", w)
	assert.Contains(t, tbl, "│ CURRENT │")
	assert.Contains(t, tbl, "127.0.0.1:2379")
}
