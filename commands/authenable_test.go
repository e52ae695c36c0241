package commands_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// authState is what a cluster's auth store holds, read as root: the switch, the roles and root's roles.
func authState(t *testing.T, c *localcluster.Cluster) string {
	t.Helper()
	cli, err := clientv3.New(clientv3.Config{Endpoints: c.Endpoints(), DialTimeout: 5 * time.Second,
		Logger: zap.NewNop(), Username: "root", Password: "pw"})
	require.NoError(t, err)
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := cli.AuthStatus(ctx)
	require.NoError(t, err)
	roles, err := cli.RoleList(ctx)
	require.NoError(t, err)
	user, err := cli.UserGet(ctx, "root")
	require.NoError(t, err)
	return fmt.Sprintf("enabled=%v roles=%v root-roles=%v", st.Enabled, roles.Roles, user.Roles)
}

// `auth enable` with a root user that lacks the root role: upstream makes the role, grants it and
// enables auth. With the role already there but not granted, it fails on making the role. Both
// binaries must leave the same auth store behind, not only print the same words.
func TestAuthEnableRootRoleDifferential(t *testing.T) {
	for name, setup := range map[string]func(ctx context.Context, cli *clientv3.Client) error{
		"no root role": func(ctx context.Context, cli *clientv3.Client) error {
			_, err := cli.UserAdd(ctx, "root", "pw")
			return err
		},
		"root role not granted": func(ctx context.Context, cli *clientv3.Client) error {
			if _, err := cli.UserAdd(ctx, "root", "pw"); err != nil {
				return err
			}
			_, err := cli.RoleAdd(ctx, "root")
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			tw := difftest.NewTwin(t, 1)
			tw.Do(t, setup)
			for _, w := range []string{"simple", "json"} {
				tw.Compare(t, []string{"-w", w, "auth", "enable"}, difftest.Opts{})
			}
			assert.Equal(t, authState(t, tw.B), authState(t, tw.A), "auth store after `auth enable` (reference, ours)")
		})
	}
}
