package commands_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// olderServers are the server releases users still run this client against: Debian's etcd 3.4
// (package etcd-server) and 3.5/3.6 built from the module proxy by `make reference`.
func olderServers(t *testing.T) map[string]string {
	root := difftest.RepoRoot()
	servers := map[string]string{
		"3.4":    "/usr/bin/etcd",
		"3.5.35": filepath.Join(root, ".reference", "v3.5.35", "bin", "etcd"),
		"3.6.16": filepath.Join(root, ".reference", "v3.6.16", "bin", "etcd"),
	}
	for v, bin := range servers {
		if _, err := os.Stat(bin); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("etcd %s server missing at %s (.ci/run installs etcd-server; make reference builds the others)", v, bin)
			}
			t.Logf("etcd %s server missing at %s: not tested", v, bin)
			delete(servers, v)
		}
	}
	return servers
}

// The client against older servers: the same stdout, exit code and first error line as upstream
// v3.7.3's client, each run against its own server of that release in the same state. Fields an
// older server leaves empty (the version in a snapshot, storage version, ...) print as upstream's.
func TestOlderServersDifferential(t *testing.T) {
	for version, bin := range olderServers(t) {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			a, b := localcluster.StartProcessT(t, bin), localcluster.StartProcessT(t, bin)
			hosts := [2][]string{{a.Endpoint}, {b.Endpoint}}
			for _, h := range hosts {
				cli, err := clientv3.New(clientv3.Config{Endpoints: h, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
				require.NoError(t, err)
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				for i := 0; i < 2500; i += 100 { // more than one page of a listing
					var ops []clientv3.Op
					for j := i; j < i+100; j++ {
						ops = append(ops, clientv3.OpPut(fmt.Sprintf("p/%05d", j), fmt.Sprint(j)))
					}
					_, err := cli.Txn(ctx).Then(ops...).Commit()
					require.NoError(t, err)
				}
				cancel()
				cli.Close()
			}
			dir := t.TempDir()
			cases := []string{
				"put k v", "get k", "get p/ --prefix --limit 3", "get p/00001 p/00003", "get p/ --prefix --count-only -w fields",
				"get p/ --prefix --keys-only --order DESCEND --limit 2", "get '' --prefix --limit 2",
				"del k", "del p/0001 --prefix", "txn", "compaction 3", "get p/00001 --rev 2",
				"member list", "alarm list", "lease list", "user list", "role list", "auth status",
				"snapshot save " + filepath.Join(dir, "snap.db"), "endpoint hashkv", "version",
			}
			for _, c := range cases {
				for _, w := range []string{"simple", "json", "fields", "protobuf", "table"} {
					args := append([]string{"-w", w}, splitFragment(c)...)
					opts := difftest.Opts{}
					if c == "txn" {
						opts.Stdin = "value(\"k\") = \"v\"\n\nget p/00002\n\nput k v\n\n"
					}
					var norm []difftest.Normalizer
					if w == "table" { // masked IDs of different lengths pad columns differently
						norm = append(norm, endpointNormTable)
					}
					t.Run(strings.Join(args, " "), func(t *testing.T) {
						difftest.CompareHosts(t, hosts[0], hosts[1], args, opts, norm...)
					})
				}
			}
			// --stream on a server without RangeStream: upstream fails with Unimplemented, ours reads
			// page by page (a deliberate difference) and prints what the plain get prints.
			for _, w := range []string{"simple", "json", "protobuf"} {
				t.Run("get --stream "+w, func(t *testing.T) {
					args := []string{"-w", w, "get", "p/", "--prefix", "--limit", "1500"}
					env := difftest.Opts{Env: []string{"ETCDCTL_ENDPOINTS=" + a.Endpoint}}
					streamed := difftest.Run(t, difftest.OurBinary(t), append(args, "--stream"), env)
					ref := difftest.Run(t, difftest.RefBinary(t), args, env)
					require.Equal(t, 0, streamed.Code, "stderr: %s", streamed.Stderr)
					require.Equal(t, ref.Stdout, streamed.Stdout)
				})
			}
			// The whole listing, paged where the server has no RangeStream, byte for byte.
			t.Run("get --prefix all", func(t *testing.T) {
				difftest.CompareHosts(t, hosts[0], hosts[1], []string{"get", "p/", "--prefix"}, difftest.Opts{})
				difftest.CompareHosts(t, hosts[0], hosts[1], []string{"-w", "json", "get", "p/", "--prefix"}, difftest.Opts{})
			})
		})
	}
}
