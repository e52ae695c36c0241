package commands_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/cmd"
	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/iostreams"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// importPair is one key-value of a `get -w json` dump, decoded.
type importPair struct{ Key, Value string }

// importDump is the reference's `get --prefix <prefix> -w json` against ep: its raw output and
// the decoded key-values.
func importDump(t *testing.T, ep, prefix string) ([]byte, []importPair) {
	t.Helper()
	r := difftest.Run(t, difftest.RefBinary(t), []string{"--endpoints=" + ep, "get", "--prefix", prefix, "-w", "json"}, difftest.Opts{})
	require.Equal(t, 0, r.Code, "reference get: %s", r.Stderr)
	var doc struct {
		Kvs []struct {
			Key   []byte `json:"key"`
			Value []byte `json:"value"`
		} `json:"kvs"`
	}
	require.NoError(t, json.Unmarshal(r.Stdout, &doc))
	out := make([]importPair, 0, len(doc.Kvs))
	for _, kv := range doc.Kvs {
		out = append(out, importPair{string(kv.Key), string(kv.Value)})
	}
	return r.Stdout, out
}

var (
	importHeaderRE = regexp.MustCompile(`"header":\{[^}]*\}`)
	importRevsRE   = regexp.MustCompile(`"create_revision":\d+,"mod_revision":\d+,"version":\d+,?`)
)

// importNormalize drops what legitimately differs between two clusters holding the same data:
// the header and the per-key revisions and versions.
func importNormalize(b []byte) []byte {
	b = importHeaderRE.ReplaceAll(b, []byte(`"header":{}`))
	return importRevsRE.ReplaceAll(b, nil)
}

// importOurs runs our binary against ep.
func importOurs(t *testing.T, ep, stdin string, args ...string) difftest.Result {
	t.Helper()
	return difftest.Run(t, difftest.OurBinary(t), append([]string{"--endpoints=" + ep}, args...), difftest.Opts{Stdin: stdin, Timeout: 60 * time.Second})
}

// importSeed writes kvs to the cluster, 100 per transaction.
func importSeed(t *testing.T, cli *clientv3.Client, kvs []importPair) {
	t.Helper()
	for i := 0; i < len(kvs); i += 100 {
		var ops []clientv3.Op
		for _, kv := range kvs[i:min(i+100, len(kvs))] {
			ops = append(ops, clientv3.OpPut(kv.Key, kv.Value))
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, err := cli.Txn(ctx).Then(ops...).Commit()
		cancel()
		require.NoError(t, err)
	}
}

// importBinaryData is n key-values under prefix with awkward bytes: NUL, newlines, invalid
// UTF-8, quotes, empty and large values.
func importBinaryData(prefix string, n int) []importPair {
	out := make([]importPair, n)
	for i := range out {
		key := fmt.Sprintf("%s%05d\x00\xff\n\"%c", prefix, i, rune('a'+i%26))
		var val string
		switch i % 5 {
		case 0:
			val = ""
		case 1:
			val = string([]byte{0, 1, 2, 0xfe, 0xff, '\n', '\r', '"', '\\'})
		case 2:
			val = strings.Repeat("\xc3\x28", 50) // invalid UTF-8
		case 3:
			val = strings.Repeat(strconv.Itoa(i), 3000) // several KiB
		default:
			val = "plain value " + strconv.Itoa(i)
		}
		out[i] = importPair{key, val}
	}
	return out
}

func importCount(t *testing.T, ep, prefix string) int {
	t.Helper()
	_, kvs := importDump(t, ep, prefix)
	return len(kvs)
}

func TestImport(t *testing.T) {
	src := localcluster.StartT(t, localcluster.Options{Size: 1})
	dst := localcluster.StartT(t, localcluster.Options{Size: 1})
	srcEP, dstEP := src.Hosts()[0], dst.Hosts()[0]
	srcCli, err := src.Client()
	require.NoError(t, err)
	defer srcCli.Close()
	dstCli, err := dst.Client()
	require.NoError(t, err)
	defer dstCli.Close()

	data := importBinaryData("/rt/", 700)
	importSeed(t, srcCli, data)
	srcRaw, srcKVs := importDump(t, srcEP, "/rt/")
	require.Len(t, srcKVs, len(data))

	// The reference's `get -w json` piped into our import on another cluster gives the same
	// dump there, byte for byte once headers and revisions are normalized.
	t.Run("round trip from the reference's get -w json", func(t *testing.T) {
		r := importOurs(t, dstEP, string(srcRaw), "import", "--max-txn-ops", "16", "--concurrency", "4", "-")
		require.Equal(t, 0, r.Code, "stderr: %s", r.Stderr)
		assert.Equal(t, "Imported 700 keys\n", string(r.Stdout))
		dstRaw, dstKVs := importDump(t, dstEP, "/rt/")
		assert.Equal(t, string(importNormalize(srcRaw)), string(importNormalize(dstRaw)))
		assert.Equal(t, srcKVs, dstKVs)
	})

	// The same with our own get (the pipeline users will run).
	t.Run("round trip through our own get", func(t *testing.T) {
		get := difftest.Run(t, difftest.OurBinary(t), []string{"--endpoints=" + srcEP, "get", "--prefix", "/rt/", "-w", "json"}, difftest.Opts{})
		require.Equal(t, 0, get.Code, "our get: %s", get.Stderr)
		r := importOurs(t, dstEP, string(get.Stdout), "import", "--prefix", "/rt/", "--dest-prefix", "/ours/rt/")
		require.Equal(t, 0, r.Code, "stderr: %s", r.Stderr)
		_, dstKVs := importDump(t, dstEP, "/ours/rt/")
		require.Len(t, dstKVs, len(srcKVs))
		for i := range dstKVs {
			assert.Equal(t, importPair{"/ours" + srcKVs[i].Key, srcKVs[i].Value}, dstKVs[i])
		}
	})

	t.Run("file argument and concatenated documents", func(t *testing.T) {
		importSeed(t, srcCli, []importPair{{"/cat/a", "1"}, {"/cat2/b", "2"}})
		raw1, _ := importDump(t, srcEP, "/cat/")
		raw2, _ := importDump(t, srcEP, "/cat2/")
		empty, _ := importDump(t, srcEP, "/nothing/")
		file := filepath.Join(t.TempDir(), "in.json")
		require.NoError(t, os.WriteFile(file, bytes.Join([][]byte{raw1, empty, raw2}, nil), 0o600))
		r := importOurs(t, dstEP, "", "import", file)
		require.Equal(t, 0, r.Code, "stderr: %s", r.Stderr)
		assert.Equal(t, "Imported 2 keys\n", string(r.Stdout))
		_, got := importDump(t, dstEP, "/cat")
		assert.Equal(t, []importPair{{"/cat/a", "1"}, {"/cat2/b", "2"}}, got)
	})

	t.Run("JSON lines, base64 and plain", func(t *testing.T) {
		b64 := base64.StdEncoding.EncodeToString
		in := fmt.Sprintf("{\"key\":%q,\"value\":%q}\n{\"value\":%q,\"key\":%q}\n{\"key\":%q}\n",
			b64([]byte("/jl/a")), b64([]byte("\x00bin")), b64([]byte("v2")), b64([]byte("/jl/b")), b64([]byte("/jl/empty")))
		r := importOurs(t, dstEP, in, "import")
		require.Equal(t, 0, r.Code, "stderr: %s", r.Stderr)
		assert.Equal(t, "Imported 3 keys\n", string(r.Stdout))
		_, got := importDump(t, dstEP, "/jl/")
		assert.Equal(t, []importPair{{"/jl/a", "\x00bin"}, {"/jl/b", "v2"}, {"/jl/empty", ""}}, got)

		r = importOurs(t, dstEP, `{"key":"/jp/ключ","value":"plain \"text\"\n"}`+"\n", "import", "--plain")
		require.Equal(t, 0, r.Code, "stderr: %s", r.Stderr)
		assert.Equal(t, "Imported 1 key\n", string(r.Stdout))
		_, got = importDump(t, dstEP, "/jp/")
		assert.Equal(t, []importPair{{"/jp/ключ", "plain \"text\"\n"}}, got)
	})

	t.Run("prefix rewriting", func(t *testing.T) {
		r := importOurs(t, dstEP, string(srcRaw), "import", "--prefix", "/rt/", "--dest-prefix", "/moved/x/")
		require.Equal(t, 0, r.Code, "stderr: %s", r.Stderr)
		_, got := importDump(t, dstEP, "/moved/x/")
		require.Len(t, got, len(srcKVs))
		for i := range got {
			assert.Equal(t, "/moved/x/"+strings.TrimPrefix(srcKVs[i].Key, "/rt/"), got[i].Key)
			assert.Equal(t, srcKVs[i].Value, got[i].Value)
		}

		// --dest-prefix alone prepends; --prefix alone strips.
		in := `{"key":"a","value":"1"}` + "\n"
		r = importOurs(t, dstEP, in, "import", "--plain", "--dest-prefix", "/pre/")
		require.Equal(t, 0, r.Code, "stderr: %s", r.Stderr)
		r = importOurs(t, dstEP, `{"key":"/strip/me/k","value":"2"}`, "import", "--plain", "--prefix", "/strip/")
		require.Equal(t, 0, r.Code, "stderr: %s", r.Stderr)
		_, got = importDump(t, dstEP, "/pre/")
		assert.Equal(t, []importPair{{"/pre/a", "1"}}, got)
		_, got = importDump(t, dstEP, "me/k")
		assert.Equal(t, []importPair{{"me/k", "2"}}, got)

		// A key outside --prefix is bad input: nothing is written.
		in = `{"key":"/in/a","value":"1"}` + "\n" + `{"key":"/out/b","value":"2"}` + "\n"
		r = importOurs(t, dstEP, in, "import", "--plain", "--prefix", "/in/", "--dest-prefix", "/notout/")
		assert.Equal(t, 3, r.Code)
		assert.Equal(t, `Error: invalid input at line 2 (document 2): key "/out/b" is not under --prefix "/in/"`, r.FirstErrLine())
		assert.Equal(t, 0, importCount(t, dstEP, "/notout/"))

		// A key that would become empty is bad input too.
		r = importOurs(t, dstEP, `{"key":"/in/","value":"1"}`, "import", "--plain", "--prefix", "/in/")
		assert.Equal(t, 3, r.Code)
		assert.Contains(t, r.FirstErrLine(), "is empty once --prefix is removed")
	})

	t.Run("dry run writes nothing and needs no cluster", func(t *testing.T) {
		r := importOurs(t, dstEP, string(srcRaw), "import", "--dry-run", "--dest-prefix", "/dry/")
		require.Equal(t, 0, r.Code, "stderr: %s", r.Stderr)
		assert.Equal(t, "Would import 700 keys (dry run)\n", string(r.Stdout))
		assert.Equal(t, 0, importCount(t, dstEP, "/dry/"))

		port, err := localcluster.FreePort()
		require.NoError(t, err)
		r = importOurs(t, "127.0.0.1:"+strconv.Itoa(port), string(srcRaw), "import", "--dry-run", "-w", "json")
		require.Equal(t, 0, r.Code, "stderr: %s", r.Stderr)
		assert.Equal(t, `{"keys":700,"dry_run":true}`+"\n", string(r.Stdout))
	})

	t.Run("lease", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		lease, err := dstCli.Grant(ctx, 600)
		require.NoError(t, err)
		in := `{"key":"/lease/a","value":"1"}` + "\n" + `{"key":"/lease/b","value":"2"}` + "\n"
		r := importOurs(t, dstEP, in, "import", "--plain", "--lease", strconv.FormatInt(int64(lease.ID), 16))
		require.Equal(t, 0, r.Code, "stderr: %s", r.Stderr)
		raw, _ := importDump(t, dstEP, "/lease/")
		assert.Equal(t, 2, strings.Count(string(raw), fmt.Sprintf(`"lease":%d`, lease.ID)), "%s", raw)
		ttl, err := dstCli.TimeToLive(ctx, lease.ID, clientv3.WithAttachedKeys())
		require.NoError(t, err)
		assert.Len(t, ttl.Keys, 2)

		// Source leases are not carried over.
		r = importOurs(t, dstEP, string(raw), "import", "--prefix", "/lease/", "--dest-prefix", "/nolease/")
		require.Equal(t, 0, r.Code, "stderr: %s", r.Stderr)
		raw, _ = importDump(t, dstEP, "/nolease/")
		assert.NotContains(t, string(raw), `"lease"`)

		// A lease etcd does not know: the first batch fails, nothing is written.
		r = importOurs(t, dstEP, string(srcRaw), "import", "--lease", "123abc", "--dest-prefix", "/badlease/")
		assert.Equal(t, 1, r.Code)
		assert.Equal(t, "Error: etcdserver: requested lease not found (0 of 700 keys written)", r.FirstErrLine())
		assert.Equal(t, 0, importCount(t, dstEP, "/badlease/"))

		r = importOurs(t, dstEP, "", "import", "--lease", "xyz")
		assert.Equal(t, 128, r.Code)
		assert.Equal(t, `Error: bad lease ID (strconv.ParseInt: parsing "xyz": invalid syntax), expecting ID in Hex`, r.FirstErrLine())
	})

	t.Run("a failing batch leaves nothing written", func(t *testing.T) {
		// etcd refuses transactions of more than 128 operations (its default --max-txn-ops).
		r := importOurs(t, dstEP, string(srcRaw), "import", "--max-txn-ops", "500", "--dest-prefix", "/toobig/")
		assert.Equal(t, 1, r.Code)
		assert.Equal(t, "Error: etcdserver: too many operations in txn request (0 of 700 keys written)", r.FirstErrLine())
		assert.Equal(t, 0, importCount(t, dstEP, "/toobig/"))
	})

	t.Run("duplicate keys: the last occurrence wins", func(t *testing.T) {
		var in strings.Builder
		for round := 0; round < 20; round++ {
			for k := 0; k < 30; k++ {
				fmt.Fprintf(&in, "{\"key\":\"/dup/%02d\",\"value\":\"r%d\"}\n", k, round)
			}
		}
		r := importOurs(t, dstEP, in.String(), "import", "--plain", "--max-txn-ops", "7", "--concurrency", "5")
		require.Equal(t, 0, r.Code, "stderr: %s", r.Stderr)
		assert.Equal(t, "Imported 600 keys\n", string(r.Stdout))
		_, got := importDump(t, dstEP, "/dup/")
		require.Len(t, got, 30)
		for _, kv := range got {
			assert.Equal(t, "r19", kv.Value, kv.Key)
		}
	})

	t.Run("progress only on a terminal", func(t *testing.T) {
		for _, tty := range []bool{false, true} {
			streams, in, out, errOut := iostreams.Test()
			streams.ErrOutTTY = tty
			in.Write(srcRaw)
			code := cmd.Main([]string{"--endpoints=" + dstEP, "import", "--dest-prefix", "/tty/" + strconv.FormatBool(tty) + "/"}, streams, nil)
			require.Equal(t, 0, code, "stderr: %s", errOut)
			assert.Equal(t, "Imported 700 keys\n", out.String())
			if !tty {
				assert.Empty(t, errOut.String())
				continue
			}
			// The streams' progress line: each draw erases the line, the last erase clears it.
			assert.True(t, strings.HasPrefix(errOut.String(), "\r\x1b[Kimported "), "%q", errOut)
			assert.Regexp(t, `^(\r\x1b\[Kimported \d+/700 keys)+\r\x1b\[K$`, errOut.String())
		}
	})

	t.Run("empty input", func(t *testing.T) {
		r := importOurs(t, dstEP, "", "import")
		require.Equal(t, 0, r.Code, "stderr: %s", r.Stderr)
		assert.Equal(t, "Imported 0 keys\n", string(r.Stdout))
	})

	t.Run("bad input names the line and writes nothing", func(t *testing.T) {
		good := `{"key":"L2JhZC9h","value":"MQ=="}` + "\n" // /bad/a
		cases := []struct {
			name, in, want string
			args           []string
		}{
			{"bad base64 key", good + good + `{"key":"!!!","value":"MQ=="}` + "\n",
				"line 3 (document 3): key: illegal base64 data at input byte 0", nil},
			{"bad base64 value", good + `{"key":"L2JhZC9i","value":"M"}` + "\n",
				"line 2 (document 2): value: illegal base64 data at input byte 0", nil},
			{"truncated", good + good + `{"key":"L2JhZC9i",` + "\n",
				"line 3 (document 3): unexpected end of input", nil},
			{"syntax", good + "\n\n" + `{"key" "x"}` + "\n",
				"line 4 (document 2): invalid character '\"' after object key", nil},
			{"not an object", good + "[1,2]\n", `line 2 (document 2): expected a JSON object, found array`, nil},
			{"no key", good + `{"value":"MQ=="}` + "\n", "line 2 (document 2): no key", nil},
			{"empty key", good + `{"key":"","value":"MQ=="}` + "\n", "line 2 (document 2): key: empty key", nil},
			{"key not a string", good + `{"key":12}` + "\n", "line 2 (document 2): key: expected a string, found number", nil},
			{"unknown object", good + `{"foo":"bar"}` + "\n",
				`line 2 (document 2): neither a get -w json document ("header", "kvs", "count") nor a record ("key", "value")`, nil},
			{"mixed object", `{"header":{},"key":"L2JhZC9h"}`,
				`line 1 (document 1): mixes a get -w json document ("header", "kvs", "count") with a record ("key", "value")`, nil},
			{"bad kvs element in a pretty document", "{\n  \"header\": {},\n  \"kvs\": [\n    {\"key\": \"L2JhZC9h\"},\n    {\"key\": \"L2JhZC9i\", \"value\": 5}\n  ]\n}\n",
				"line 5 (document 1): kvs[1].value: expected a string, found number", nil},
			{"kvs not an array", `{"kvs":{}}`, `line 1 (document 1): kvs: expected an array, found object`, nil},
			{"plain flag does not apply to get documents", `{"kvs":[{"key":"/bad/a"}]}`,
				"line 1 (document 1): kvs[0].key: illegal base64 data at input byte 4", []string{"--plain"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := importOurs(t, dstEP, c.in, append([]string{"import"}, c.args...)...)
				assert.Equal(t, 3, r.Code, "stderr: %s", r.Stderr)
				assert.Equal(t, "Error: invalid input at "+c.want, r.FirstErrLine())
				assert.Empty(t, r.Stdout)
			})
		}
		assert.Equal(t, 0, importCount(t, dstEP, "/bad/"))
	})

	t.Run("arguments", func(t *testing.T) {
		r := importOurs(t, dstEP, "", "import", "a", "b")
		assert.Equal(t, 128, r.Code)
		assert.Equal(t, "Error: import takes at most one argument: a file, or - for stdin", r.FirstErrLine())
		r = importOurs(t, dstEP, "", "import", "--max-txn-ops", "0")
		assert.Equal(t, 128, r.Code)
		r = importOurs(t, dstEP, "", "import", "--concurrency", "0")
		assert.Equal(t, 128, r.Code)
		r = importOurs(t, dstEP, "", "import", filepath.Join(t.TempDir(), "missing"))
		assert.Equal(t, 6, r.Code)
		assert.Contains(t, r.FirstErrLine(), "no such file or directory")
		r = importOurs(t, dstEP, "", "-w", "table", "import")
		assert.Equal(t, 4, r.Code)
		assert.Equal(t, "Error: table not supported as output format", r.FirstErrLine())
	})
}

// import stays out of the root help so that it matches upstream's byte for byte.
func TestImportHiddenFromRootHelp(t *testing.T) {
	difftest.Compare(t, []string{"--help"}, difftest.Opts{})
	r := difftest.Run(t, difftest.OurBinary(t), []string{"import", "--help"}, difftest.Opts{})
	assert.Equal(t, 0, r.Code)
	assert.Contains(t, string(r.Stdout), "etcdctl import [options] [file|-]")
}
