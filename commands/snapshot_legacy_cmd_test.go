package commands

import (
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/stretchr/testify/require"
)

// Parsing and validation of 3.5's `snapshot restore` and `snapshot status`, in-process, without
// a cluster or the helper process. --mark-compacted/--bump-revision are checked later, after the
// global options are settled (as 3.5).
func TestNewCmdSnapshotRestoreLegacy(t *testing.T) {
	bad := &cmdutil.BadArgsError{}
	runSeamCases(t, newCmdSnapshotRestore, []seamCase[SnapshotRestoreOptions]{
		{name: "defaults", argv: []string{"snap.db"}, want: func(t *testing.T, o *SnapshotRestoreOptions) {
			require.NotNil(t, o.F)
			require.Equal(t, "snap.db", o.Path)
			require.Equal(t, "", o.DataDir)
			require.Equal(t, "", o.WALDir)
			require.Equal(t, "default", o.Name)
			require.Equal(t, "default=http://localhost:2380", o.InitialCluster)
			require.Equal(t, "etcd-cluster", o.InitialClusterToken)
			require.Equal(t, "http://localhost:2380", o.InitialPeerURLs)
			require.False(t, o.SkipHashCheck || o.MarkCompacted)
			require.Zero(t, o.BumpRevision)
			require.Zero(t, o.InitialMmapSize)
		}},
		{name: "every flag", argv: []string{"--data-dir=d", "--wal-dir=w", "--name=m1", "--initial-cluster=m1=http://a:1",
			"--initial-cluster-token=t", "--initial-advertise-peer-urls=http://a:1,http://b:1", "--skip-hash-check",
			"--bump-revision=100", "--mark-compacted", "--initial-memory-map-size=4096", "s.db"},
			want: func(t *testing.T, o *SnapshotRestoreOptions) {
				require.Equal(t, "s.db", o.Path)
				require.Equal(t, []string{"d", "w", "m1", "m1=http://a:1", "t", "http://a:1,http://b:1"},
					[]string{o.DataDir, o.WALDir, o.Name, o.InitialCluster, o.InitialClusterToken, o.InitialPeerURLs})
				require.True(t, o.SkipHashCheck)
				require.True(t, o.MarkCompacted)
				require.EqualValues(t, 100, o.BumpRevision)
				require.EqualValues(t, 4096, o.InitialMmapSize)
			}},
		{name: "bump without mark is checked later", argv: []string{"--bump-revision=5", "s.db"}, want: func(t *testing.T, o *SnapshotRestoreOptions) {
			require.EqualValues(t, 5, o.BumpRevision)
			require.False(t, o.MarkCompacted)
		}},
		{name: "no file", errKind: bad, errMsg: "snapshot restore requires exactly one argument"},
		{name: "two files", argv: []string{"a", "b"}, errKind: bad, errMsg: "snapshot restore requires exactly one argument"},
		{name: "bump not a number", argv: []string{"--bump-revision=-1", "a"},
			errMsg: `invalid argument "-1" for "--bump-revision" flag: strconv.ParseUint: parsing "-1": invalid syntax`},
	})
}

func TestNewCmdSnapshotStatusLegacy(t *testing.T) {
	bad := &cmdutil.BadArgsError{}
	runSeamCases(t, newCmdSnapshotStatus, []seamCase[SnapshotStatusOptions]{
		{name: "file", argv: []string{"snap.db"}, want: func(t *testing.T, o *SnapshotStatusOptions) {
			require.NotNil(t, o.F)
			require.Equal(t, "snap.db", o.Path)
		}},
		{name: "no file", errKind: bad, errMsg: "snapshot status requires exactly one argument"},
		{name: "no file before an unknown format", argv: []string{"-w", "foo"}, errKind: bad, errMsg: "snapshot status requires exactly one argument"},
		{name: "two files", argv: []string{"a", "b"}, errKind: bad, errMsg: "snapshot status requires exactly one argument"},
	})
}

// 3.5 prints its deprecation notice before it checks the arguments, on stderr only.
func TestNewCmdSnapshotLegacyNotice(t *testing.T) {
	_, out, errOut, err := seamOutput(t, newCmdSnapshotRestore)
	require.EqualError(t, err, "snapshot restore requires exactly one argument")
	require.Empty(t, out)
	require.Equal(t, "Deprecated: Use `etcdutl snapshot restore` instead.\n\n", errOut)
	o, out, errOut, err := seamOutput(t, newCmdSnapshotStatus, "s.db")
	require.NoError(t, err)
	require.Equal(t, "s.db", o.Path)
	require.Empty(t, out)
	require.Equal(t, "Deprecated: Use `etcdutl snapshot status` instead.\n\n", errOut)
}
