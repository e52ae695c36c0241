package commands_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// txnReset puts the keys every txn case starts from.
func txnReset(t *testing.T, cli *clientv3.Client) {
	ctx := context.Background()
	_, err := cli.Delete(ctx, "t", clientv3.WithPrefix())
	require.NoError(t, err)
	for _, kv := range [][2]string{{"tk1", "v1"}, {"tk2", "v2"}, {"tk3", "x y"}} {
		_, err := cli.Put(ctx, kv[0], kv[1])
		require.NoError(t, err)
	}
}

func TestTxnDifferential(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	env := []string{"ETCDCTL_ENDPOINTS=" + c.Hosts()[0]}
	txnReset(t, cli)

	// Read-only transactions: the revision does not move, every byte must match in every format.
	readOnly := []string{
		"value(\"tk1\") = \"v1\"\n\nget tk --prefix\nget tk1 --keys-only\nget tk --prefix --count-only\nget nokey\n\nget tk2\n\n",
		"value(\"tk1\") != \"v1\"\nmod(\"tk1\") > \"0\"\n\nget tk1\n\nget tk2 tk4\nget tk --prefix --order=descend --sort-by=value --limit 2\n\n",
		"ver(\"tk1\") = \"1\"\nc(\"tk2\") < \"999999\"\nm(`tk3`) > \"-1\"\nversion(\"none\") = \"0\"\ncreate(\"none\") = \"0\"\nval(\"tk3\") = \"x y\"\n\ng tk3\n\n\n",
		"\n\n\n",
		"\nget tk1 --from-key --consistency=s --rev=0\n\n\n",
		"mod(\"tk1\") > \"0\"\r\n\r\nget tk1\r\n\r\n\r\n",
	}
	for i, in := range readOnly {
		for _, w := range []string{"simple", "json", "fields", "protobuf", "table"} {
			for _, hex := range []bool{false, true} {
				args := []string{"-w", w, "txn"}
				if hex {
					args = append(args, "--hex")
				}
				t.Run(strings.Join(args, " ")+" #"+string(rune('0'+i)), func(t *testing.T) {
					difftest.Compare(t, args, difftest.Opts{Env: env, Stdin: in})
				})
			}
		}
		t.Run("interactive #"+string(rune('0'+i)), func(t *testing.T) {
			difftest.Compare(t, []string{"txn", "-i"}, difftest.Opts{Env: env, Stdin: in})
		})
	}

	// Mutating transactions, on twin clusters reset in lock-step before each case: the revisions
	// agree, so every byte (revisions included, protobuf too) must match, and so must the keys,
	// values, versions and revisions each binary leaves behind.
	tw := difftest.NewTwin(t, 1)
	mutating := []string{
		"mod(\"tk1\") > \"0\"\n\nput tk1 \"overwrote-key1\"\n\nput tk1 \"created-key1\"\nput tk2 \"some extra key\"\n\n",
		"value(\"tk1\") = \"v1\"\n\nput tk4 'a b' --prev-kv\nput tk1 new --prev-kv\ndel tk2 --prev-kv\ndel tk3 tk4 --range\nget tk --prefix\n\n\n",
		// The escapes of a quoted value are decoded before it is stored: tk5 stays to be seen.
		"value(\"tk1\") = \"no\"\n\n\nput tk5 \"\\x41\\tB\\n\\\\\"\ndel tk1 --prefix --prev-kv\nput tk2 --ignore-value\n\n",
		"\nput tk1 v --lease=0 --ignore-lease\ndel tk9\n\n\n",
		// A failing request in the chosen branch: nothing of the branch is applied.
		"\n\nput tk7 x\nput tk8 --ignore-value\n\n",
	}
	for i, in := range mutating {
		for _, w := range []string{"simple", "json", "fields", "table", "protobuf"} {
			for _, hex := range []bool{false, true} {
				args := []string{"-w", w, "txn"}
				if hex {
					args = append(args, "--hex")
				}
				t.Run("mutating "+strings.Join(args, " ")+" #"+string(rune('0'+i)), func(t *testing.T) {
					tw.Do(t, func(ctx context.Context, cli *clientv3.Client) error { txnReset(t, cli); return nil })
					tw.Compare(t, args, difftest.Opts{Stdin: in})
					tw.AssertSameState(t, difftest.DumpOpts{KeyPrefix: "t", NoAuth: true}, strings.Join(args, " ")+" <<< "+strconv.Quote(in))
				})
			}
		}
	}
	txnReset(t, cli)

	// Malformed input: clean errors with upstream's exit code and first stderr line.
	bad := []string{
		"", "\n", "\n\n", "mod(\"tk1\") > \"0\"\n", "\nget tk1", "foo\n", "mod(\"k\")>\"0\"\n", "mod( \"k\" ) > \"0\"\n",
		"mod(k) > \"0\"\n", "mod(\"k\") > 0\n", "mod(\"k\") > \"abc\"\n", "MOD(\"k\") > \"0\"\n", "v(\"k\") = \"0\"\n",
		"value(\"k\") = 'x'\n", "value\"k\") = \"x\"\n", "value(\"k\"\n", "(\"k\") = \"1\"\n", "mod ( \"k\") = \"1\"\n",
		"mod(\"k\") > \"0x1\"\n", "mod(\"k\") > \"99999999999999999999\"\n", "mod(\"k\") >\"0\"\n",
		"\nget\n\n\n", "\nGET k\n\n\n", "\nfoo bar\n\n\n", "\n\"\n\n\n", "\n\"a\" \"b\"\n\n\n", "\ndelete k\n\n\n",
		"\nget k --bogus\n\n\n", "\nput k v --bogus\n\n\n", "\ndel k --bogus\n\n\n", "\nget k --limit=x\n\n\n",
		"\nput k\n\n\n", "\nput --prev-kv\n\n\n", "\nput k v --ignore-value\n\n\n", "\nput k v --lease=zz\n\n\n",
		"\nput k v --lease=\n\n\n", "\nput k \"\\q\"\n\n\n", "\ndel a b c\n\n\n", "\ndel a b --prefix\n\n\n",
		"\ndel --prefix\n\n\n", "\ndel a --prefix --from-key\n\n\n", "\nget --prefix\n\n\n", "\nget a b --prefix\n\n\n",
		"\nget a --prefix --from-key\n\n\n", "\nget a --keys-only --count-only\n\n\n", "\nget a --order=x\n\n\n",
		"\nget a --sort-by=x\n\n\n", "\nget a --consistency=x\n\n\n", "\nget a b --prefix --consistency=x\n\n\n",
		"\nput \"\" v\n\n\n", "\nput tk1 a\nput tk1 b\n\n\n",
		"\nget k --bogus\n\n\n",
	}
	for _, in := range bad {
		for _, extra := range [][]string{nil, {"-i"}} {
			args := append([]string{"txn"}, extra...)
			t.Run("bad "+strings.Join(args, " ")+" "+in, func(t *testing.T) {
				difftest.Compare(t, args, difftest.Opts{Env: env, Stdin: in})
			})
		}
	}
	// del with a range end and no --range: upstream warns on stderr and waits two seconds.
	t.Run("del range warning", func(t *testing.T) {
		difftest.Compare(t, []string{"txn"}, difftest.Opts{Env: env, Stdin: "\ndel tka tkb\n\n\n"})
	})
	// Upstream panics on these (exit 2); we end with the same code, cleanly.
	for _, in := range []string{"value(\"k\") == \"x\"\n", "mod(\"k\") >= \"1\"\n", "lease(\"k\") >= \"0\"\n"} {
		t.Run("panic "+in, func(t *testing.T) {
			p := difftest.Both(t, []string{"txn"}, difftest.Opts{Env: env, Stdin: in})
			require.Equal(t, 2, p.Ref.Code)
			require.Equal(t, 2, p.Ours.Code)
			require.NotContains(t, string(p.Ours.Stderr), "panic")
			require.True(t, strings.HasPrefix(p.Ours.FirstErrLine(), "Error: "), p.Ours.FirstErrLine())
		})
	}
	// Lease compares: 3.7.3 panics on every one; 3.6.16 evaluates them (the value is a lease ID
	// in hexadecimal), and so do we, compared with 3.6.16 on the same cluster.
	v36 := difftest.RefBinaryAt(t, "v3.6.16")
	for _, cmp := range []string{`lease("k") = "0"`, `lease("tk1") != "0"`, `lease("k") > "0"`, `lease("k") < "1"`,
		`lease("k") = "zz"`, `lease("k") = "123456789abcdef0123"`, `lease("k") = "-1"`, `lease("nokey") = "0"`} {
		for _, w := range []string{"simple", "json"} {
			in := cmp + "\nget k\n\nput k2 v2\n\n"
			t.Run("lease compare "+w+" "+cmp, func(t *testing.T) {
				difftest.Compare(t, []string{"-w", w, "txn"}, difftest.Opts{Env: env, Stdin: in, Ref: v36})
			})
		}
	}
	for _, args := range [][]string{{"txn", "x"}, {"txn", "--help"}, {"-w", "bogus", "txn"}, {"-w", "bogus", "txn", "x"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			difftest.Compare(t, args, difftest.Opts{Env: env, Stdin: "foo\n"})
		})
	}
}

// Upstream's txn has no deadline: against a server that never answers it waits (killed here)
// whatever --command-timeout says. Found by the generated differential tests (seed 3 line 1013).
func TestTxnNoDeadlineDifferential(t *testing.T) {
	args := []string{"--endpoints=" + blackHole(t), "--command-timeout=1s", "txn"}
	p := difftest.Compare(t, args, difftest.Opts{Stdin: "\n\n\n", Timeout: 3 * time.Second})
	require.Equal(t, -1, p.Ours.Code, "killed while waiting")
}

// Upstream connects, and authenticates with --user, before it reads the transaction: an
// unreachable server fails before the interactive prompts. Found by the generated differential
// tests (seed 5 line 611).
func TestTxnConnectsBeforeReadingDifferential(t *testing.T) {
	args := []string{"--endpoints=" + blackHole(t), "--user", "nobody:x", "--command-timeout=1s", "txn", "-i"}
	p := difftest.Compare(t, args, difftest.Opts{Stdin: "\n\n\n", Timeout: 10 * time.Second})
	require.Equal(t, 2, p.Ours.Code)
}
