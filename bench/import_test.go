package bench

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/loader"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// The import benchmark's data and baselines.
const (
	importBenchKeys    = 100000
	importBenchSize    = 128 // bytes per value (letters and digits, so shell and txn lines take them as is)
	importBenchPuts    = 300 // upstream `put`s in the shell loop, extrapolated to importBenchKeys
	importBenchTxns    = 40  // upstream `txn` invocations of importBenchTxnOps puts each
	importBenchTxnOps  = 128
	importBenchRepeats = 3 // imports per iteration; keys/s is their median
	importBenchSrcPref = "/src/"
)

// importBenchRun numbers runs so that every run writes fresh keys.
var importBenchRun atomic.Int64

// BenchmarkImport writes 100,000 keys into a local 3-member cluster with our `import` (input:
// one `get -w json` document), and compares it with what upstream offers for the same job: a
// shell loop of `etcdctl put` (measured on 300 keys) and `etcdctl txn` fed 128 puts per
// invocation on stdin (measured on 40 invocations). keys/s is the sustained write rate (the
// whole process for import: start, parse, spill, write; the median of 3 imports); x-vs-* are
// import's speed-ups.
func BenchmarkImport(b *testing.B) {
	ref, ours := difftest.RefBinary(b), difftest.OurBinary(b)
	spawner := scaleSpawner(b)
	c := localcluster.StartT(b, localcluster.Options{Size: 3, Configure: scaleBigQuota})
	cli, err := c.Client()
	if err != nil {
		b.Fatal(err)
	}
	defer cli.Close()
	eps := "--endpoints=" + strings.Join(c.Hosts(), ",")
	input := importBenchDocument(b, filepath.Join(b.TempDir(), "get.json"))
	val := string(loader.Value(importBenchSize, false, 0))
	var putRate, txnRate float64

	b.Run("upstream-put-loop", func(b *testing.B) {
		var rate float64
		for i := 0; i < b.N; i++ {
			script := `i=0; while [ $i -lt ` + strconv.Itoa(importBenchPuts) + ` ]; do "$0" "$1" put "$2$i" "$3" >/dev/null || exit 1; i=$((i+1)); done`
			r := scaleChild(b, spawner, nil, "sh", "-c", script, ref, eps, fmt.Sprintf("/putloop/%d/", importBenchRun.Add(1)), val)
			if r.Code != 0 {
				b.Fatalf("put loop: exit %d: %s", r.Code, r.firstLine())
			}
			rate = float64(importBenchPuts) / r.Took.Seconds()
		}
		putRate = rate
		b.ReportMetric(rate, "keys/s")
		b.ReportMetric(importBenchKeys/rate, "s/100k-keys")
	})

	b.Run("upstream-txn-128", func(b *testing.B) {
		var rate float64
		for i := 0; i < b.N; i++ {
			prefix := fmt.Sprintf("/txnloop/%d/", importBenchRun.Add(1))
			start := time.Now()
			for t := 0; t < importBenchTxns; t++ {
				var in strings.Builder
				in.WriteString("\n")
				for k := 0; k < importBenchTxnOps; k++ {
					fmt.Fprintf(&in, "put %s%d-%d %s\n", prefix, t, k, val)
				}
				in.WriteString("\n\n")
				r := scaleChild(b, spawner, strings.NewReader(in.String()), ref, eps, "txn")
				if r.Code != 0 {
					b.Fatalf("txn: exit %d: %s", r.Code, r.firstLine())
				}
			}
			rate = float64(importBenchTxns*importBenchTxnOps) / time.Since(start).Seconds()
		}
		txnRate = rate
		b.ReportMetric(rate, "keys/s")
		b.ReportMetric(importBenchKeys/rate, "s/100k-keys")
	})

	b.Run("import", func(b *testing.B) {
		dry := scaleChild(b, spawner, nil, ours, "import", "--dry-run", input)
		if dry.Code != 0 {
			b.Skipf("import --dry-run: exit %d: %s", dry.Code, dry.firstLine())
		}
		b.Logf("import --dry-run (parse and check only) of %d keys: %v", importBenchKeys, dry.Took.Round(time.Millisecond))
		var rate float64
		var rss int64
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			// The median of a few runs: a loaded machine makes single runs noisy.
			rates := make([]float64, importBenchRepeats)
			for j := range rates {
				dest := fmt.Sprintf("/import/%d/", importBenchRun.Add(1))
				r := scaleChild(b, spawner, nil, ours, eps, "--command-timeout=30s", "import", "--prefix", importBenchSrcPref, "--dest-prefix", dest, input)
				if r.Code != 0 {
					b.Fatalf("import: exit %d: %s", r.Code, r.firstLine())
				}
				rates[j] = float64(importBenchKeys) / r.Took.Seconds()
				rss = max(rss, r.MaxRSS)
				b.StopTimer()
				importBenchCheck(b, cli, dest)
				b.StartTimer()
			}
			sort.Float64s(rates)
			rate = rates[len(rates)/2]
			b.Logf("import of %d keys: %.0f keys/s (median), runs %.0f", importBenchKeys, rate, rates)
		}
		b.ReportMetric(b.Elapsed().Seconds()/float64(b.N*importBenchRepeats), "s/import")
		b.ReportMetric(rate, "keys/s")
		b.ReportMetric(float64(rss)/1024, "peak-RSS-MiB")
		if putRate > 0 {
			b.ReportMetric(rate/putRate, "x-vs-put-loop")
		}
		if txnRate > 0 {
			b.ReportMetric(rate/txnRate, "x-vs-txn-128")
		}
		if rate < 10000 {
			b.Logf("below the 10,000 writes/s target: %.0f keys/s", rate)
		}
	})
}

// importBenchDocument writes what `etcdctl get --prefix /src/ -w json` prints for the data set
// (the header and revisions are made up; import ignores them) and returns the file name.
func importBenchDocument(tb testing.TB, name string) string {
	tb.Helper()
	f, err := os.Create(name)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprint(w, `{"header":{"cluster_id":1,"member_id":2,"revision":100001,"raft_term":2},"kvs":[`)
	src := loader.Generate(importBenchSrcPref, importBenchKeys, importBenchSize, false)
	for i := 0; ; i++ {
		r, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if i > 0 {
			w.WriteByte(',')
		}
		fmt.Fprintf(w, `{"key":"%s","create_revision":%d,"mod_revision":%d,"version":1,"value":"%s"}`,
			base64.StdEncoding.EncodeToString(r.Key), i+2, i+2, base64.StdEncoding.EncodeToString(r.Value))
	}
	fmt.Fprintf(w, `],"count":%d}`+"\n", importBenchKeys)
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return name
}

// importBenchCheck makes sure every key landed.
func importBenchCheck(tb testing.TB, cli *clientv3.Client, prefix string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r, err := cli.Get(ctx, prefix, clientv3.WithPrefix(), clientv3.WithCountOnly())
	if err != nil {
		tb.Fatal(err)
	}
	if r.Count != importBenchKeys {
		tb.Fatalf("%s holds %d keys, want %d", prefix, r.Count, importBenchKeys)
	}
}
