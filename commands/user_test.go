package commands_test

import (
	"context"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every user verb changes the cluster the same way and prints the same bytes as upstream, in
// every output format; passwords come from arguments, flags, the prompt or stdin.
func TestUserDifferential(t *testing.T) {
	s := authStart(t, localcluster.Options{}, nil)
	cases := []struct {
		args  []string
		stdin string
	}{
		{args: []string{"user", "add", "dave:pw"}},
		{args: []string{"user", "add", "dave:"}},
		{args: []string{"user", "add", "dave:pw:x"}},
		{args: []string{"user", "add", "dave", "--new-user-password", "pw"}},
		{args: []string{"user", "add", "dave:pw", "--new-user-password", "other"}},
		{args: []string{"user", "add", "dave", "--no-password"}},
		{args: []string{"user", "add", "dave:pw", "--no-password"}},
		{args: []string{"user", "add", "dave", "--no-password", "--new-user-password", "x"}},
		{args: []string{"user", "add", "", "--new-user-password", "x"}},
		{args: []string{"user", "add", "", "--interactive=false"}},
		{args: []string{"user", "add", "alice:x"}},
		{args: []string{"user", "add", "dave"}, stdin: "pw\npw\n"},
		{args: []string{"user", "add", "dave"}, stdin: " pw 1 \r\npw 1\n"},
		{args: []string{"user", "add", "dave"}, stdin: "pw\n"},
		{args: []string{"user", "add", "dave"}, stdin: "\n"},
		{args: []string{"user", "add", "dave", "--interactive=false"}, stdin: "pw extra\nmore\n"},
		{args: []string{"user", "add", "dave", "--interactive=false"}},
		{args: []string{"user", "delete", "alice"}},
		{args: []string{"user", "delete", "nope"}},
		{args: []string{"user", "passwd", "alice"}, stdin: "new\nnew\n"},
		{args: []string{"user", "passwd", "alice"}, stdin: "new\nother\n"},
		{args: []string{"user", "passwd", "alice", "--interactive=false"}, stdin: "new\n"},
		{args: []string{"user", "passwd", "alice", "--interactive=false"}},
		{args: []string{"user", "passwd", "nope", "--interactive=false"}, stdin: "new\n"},
		{args: []string{"user", "grant-role", "alice", "writer"}},
		{args: []string{"user", "grant-role", "alice", "reader"}},
		{args: []string{"user", "grant-role", "alice", "nope"}},
		{args: []string{"user", "grant-role", "nope", "reader"}},
		{args: []string{"user", "revoke-role", "bob", "writer"}},
		{args: []string{"user", "revoke-role", "alice", "writer"}},
		{args: []string{"user", "revoke-role", "nope", "writer"}},
	}
	for i, c := range cases {
		for _, w := range authFormatsFor(i) {
			args := append([]string{"-w", w}, c.args...)
			t.Run(authName(args), func(t *testing.T) {
				s.compareMut(t, args, s.opts(c.stdin), false)
			})
		}
	}
	// The cluster really holds what the command asked for (not just the same output).
	t.Run("effects", func(t *testing.T) {
		authFixture(t, s, false)
		run := func(stdin string, args ...string) difftest.Result {
			return difftest.Run(t, difftest.OurBinary(t), args, s.opts(stdin))
		}
		require.Equal(t, 0, run(" secret one \n secret one \n", "user", "add", "erin").Code)
		require.Equal(t, 0, run("", "user", "grant-role", "erin", "root").Code)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err := s.cli.AuthEnable(ctx)
		require.NoError(t, err)
		r := run("", "--user", "erin:secret one", "user", "list")
		assert.Equal(t, 0, r.Code, "%s", r.Stderr)
		assert.Equal(t, "alice\nbob\ncarol\nerin\nroot\n", string(r.Stdout))
		require.Equal(t, 0, run("first second\n", "--user", "root:rootpw", "user", "passwd", "erin", "--interactive=false").Code)
		assert.Equal(t, 0, run("", "--user", "erin:first", "auth", "status").Code)
		authFixture(t, s, false)
	})
}
