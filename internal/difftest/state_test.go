package difftest

import (
	"context"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The Members part of a dump: the count, a started member's URLs masked by its name (equal
// across twin clusters), an unstarted learner's URLs as they are, in the server's order.
func TestStateDumpMembers(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	opts := DumpOpts{NoKeys: true, NoAuth: true, Members: true}
	assert.Equal(t, "members=1\nmember \"m1\" learner=false peers=[\"<peer-m1-0>\"] clients=[\"<client-m1-0>\"]\n", StateDump(t, cli, opts))

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := cli.MemberAddAsLearner(ctx, []string{"http://127.0.0.9:2", "http://127.0.0.9:1"})
	require.NoError(t, err)
	assert.Equal(t, "members=2\n"+
		"member \"\" learner=true peers=[\"http://127.0.0.9:1\" \"http://127.0.0.9:2\"] clients=[]\n"+ // (add sorts them)
		"member \"m1\" learner=false peers=[\"<peer-m1-0>\"] clients=[\"<client-m1-0>\"]\n", StateDump(t, cli, opts))

	// Two clusters in the same state dump alike although their ports differ.
	c2 := localcluster.StartT(t, localcluster.Options{Size: 1})
	cli2, err := c2.Client()
	require.NoError(t, err)
	defer cli2.Close()
	_, err = cli.MemberRemove(ctx, resp.Member.ID)
	require.NoError(t, err)
	assert.Equal(t, StateDump(t, cli2, opts), StateDump(t, cli, opts))
}
