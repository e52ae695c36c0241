package commands_test

import (
	"strings"
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// `get --stream` where upstream's server refuses to stream (custom orders, revision filters):
// upstream 3.7.3 exits 1 with the server's Unimplemented error; ours answers (a deliberate
// difference, listed in the README), byte for byte what the same `get` without --stream prints,
// which is also what the reference prints without --stream.
func TestGetStreamWhereUpstreamRefuses(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{})
	env := []string{"ETCDCTL_ENDPOINTS=" + strings.Join(c.Hosts(), ",")}
	for _, kv := range [][2]string{{"a", "3"}, {"b", "1"}, {"c", "2"}, {"d", "0"}} {
		r := difftest.Run(t, difftest.OurBinary(t), []string{"put", kv[0], kv[1]}, difftest.Opts{Env: env})
		require.Equal(t, 0, r.Code)
	}
	for _, q := range []string{"--order DESCEND", "--sort-by VALUE", "--sort-by MODIFY --order DESCEND",
		"--min-mod-rev 3", "--max-mod-rev 3", "--min-create-rev 2 --max-create-rev 4", "--order DESCEND --limit 2"} {
		for _, w := range []string{"simple", "json", "fields", "protobuf"} {
			args := append([]string{"-w", w, "get", "", "--prefix"}, strings.Fields(q)...)
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				streamed := difftest.Run(t, difftest.OurBinary(t), append(args, "--stream"), difftest.Opts{Env: env})
				plain := difftest.Run(t, difftest.OurBinary(t), args, difftest.Opts{Env: env})
				ref := difftest.Run(t, difftest.RefBinary(t), args, difftest.Opts{Env: env})
				require.Equal(t, 0, streamed.Code, "stderr: %s", streamed.Stderr)
				assert.Equal(t, plain.Stdout, streamed.Stdout, "--stream changes nothing but how it is read")
				assert.Equal(t, ref.Stdout, streamed.Stdout, "the reference without --stream")
				refStreamed := difftest.Run(t, difftest.RefBinary(t), append(args, "--stream"), difftest.Opts{Env: env})
				if refStreamed.Code == 0 { // upstream streams some orders (ascending by value)
					assert.Equal(t, refStreamed.Stdout, streamed.Stdout)
					return
				}
				assert.Equal(t, 1, refStreamed.Code)
				assert.Contains(t, refStreamed.FirstErrLine(), "Unimplemented")
			})
		}
	}
}
