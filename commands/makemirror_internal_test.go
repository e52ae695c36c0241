package commands

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// make-mirror --no-dest-prefix writes the keys under the prefix to the destination's root and
// prints the running count every interval: 30 s as upstream, shortened here through the seam
// (upstream has no flag for it), so that the count of the base copy (2 keys) shows at once.
func TestMirrorNoDestPrefixInProcess(t *testing.T) {
	src := localcluster.StartT(t, localcluster.Options{Size: 1})
	dst := localcluster.StartT(t, localcluster.Options{Size: 1})
	scli, err := src.Client()
	require.NoError(t, err)
	defer scli.Close()
	dcli, err := dst.Client()
	require.NoError(t, err)
	defer dcli.Close()
	for _, kv := range [][2]string{{"np/a", "1"}, {"np/b", "2"}, {"np/c", "3"}, {"other", "x"}} {
		_, err := scli.Put(context.Background(), kv[0], kv[1])
		require.NoError(t, err)
	}
	_, err = scli.Delete(context.Background(), "np/a")
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- inprocRun(t, newCmdMakeMirror, &out, &errOut,
			func(o *MakeMirrorOptions) {
				if o.Interval != mirrorProgressInterval {
					panic("the default interval is upstream's 30 s")
				}
				o.Interval = 100 * time.Millisecond
				o.ctx = ctx
			}, runMirror,
			"--endpoints="+src.Hosts()[0], "--prefix", "np/", "--no-dest-prefix", dst.Hosts()[0])
	}()

	dump := func() string {
		resp, err := dcli.Get(context.Background(), "", clientv3.WithFromKey())
		if err != nil {
			return err.Error()
		}
		var sb strings.Builder
		for _, kv := range resp.Kvs {
			sb.WriteString(string(kv.Key) + "=" + string(kv.Value) + "\n")
		}
		return sb.String()
	}
	assert.Eventually(t, func() bool { return dump() == "b=2\nc=3\n" }, 10*time.Second, 20*time.Millisecond, "got %q", dump())
	assert.Eventually(t, func() bool { return regexp.MustCompile(`(?m)^2$`).MatchString(out.String()) }, 5*time.Second, 20*time.Millisecond,
		"the count of the base copy, printed within a few intervals")
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("make-mirror did not stop when its context ended")
	}
	lines := strings.Fields(out.String())
	require.NotEmpty(t, lines)
	for _, l := range lines {
		assert.Regexp(t, `^[02]$`, l, "each line is the running count")
	}
	assert.Empty(t, errOut.String())
}
