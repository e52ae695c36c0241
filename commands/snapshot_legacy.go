package commands

import (
	"fmt"
	"strings"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/snapshot35"
	"github.com/etcdctl-rewritten/etcdctl/printer"
	"github.com/spf13/cobra"
)

// `snapshot restore` and `snapshot status` of etcdctl 3.5 (moved to etcdutl since): the flags,
// checks and output are here; the work is done by etcd's own snapshot library in a helper
// process (internal/snapshot35), so that its heavy initialisers stay off etcdctl's start-up.
// The tree has them only in the 3.5 dialect (internal/dialect).

// snapshotRestoreOptions are the flags of `snapshot restore`.
type snapshotRestoreOptions struct {
	f                   *cmdutil.Factory
	dataDir, walDir     string
	name                string
	initialCluster      string
	initialClusterToken string
	initialPeerURLs     string
	skipHashCheck       bool
	markCompacted       bool
	bumpRevision        uint64
	initialMmapSize     uint64
}

func newCmdSnapshotRestore(f *cmdutil.Factory) *cobra.Command {
	o := &snapshotRestoreOptions{f: f}
	c := &cobra.Command{
		Use:   "restore <filename> [options]",
		Short: "Restores an etcd member snapshot to an etcd directory",
		Long:  "Moved to `etcdutl snapshot restore ...`\n",
		RunE:  func(_ *cobra.Command, args []string) error { return runSnapshotRestore(o, args) },
	}
	fl := c.Flags()
	fl.StringVar(&o.dataDir, "data-dir", "", "Path to the data directory")
	fl.StringVar(&o.walDir, "wal-dir", "", "Path to the WAL directory (use --data-dir if none given)")
	fl.StringVar(&o.initialCluster, "initial-cluster", "default=http://localhost:2380", "Initial cluster configuration for restore bootstrap")
	fl.StringVar(&o.initialClusterToken, "initial-cluster-token", "etcd-cluster", "Initial cluster token for the etcd cluster during restore bootstrap")
	fl.StringVar(&o.initialPeerURLs, "initial-advertise-peer-urls", "http://localhost:2380", "List of this member's peer URLs to advertise to the rest of the cluster")
	fl.StringVar(&o.name, "name", "default", "Human-readable name for this member")
	fl.BoolVar(&o.skipHashCheck, "skip-hash-check", false, "Ignore snapshot integrity hash value (required if copied from data directory)")
	fl.Uint64Var(&o.bumpRevision, "bump-revision", 0, "How much to increase the latest revision after restore")
	fl.BoolVar(&o.markCompacted, "mark-compacted", false, "Mark the latest revision after restore as the point of scheduled compaction (required if --bump-revision > 0, disallowed otherwise)")
	fl.Uint64Var(&o.initialMmapSize, "initial-memory-map-size", 0, "Initial memory map size of the database in bytes. It uses the default value if not defined or defined to 0")
	return c
}

func newCmdSnapshotStatus(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "status <filename>",
		Short: "[deprecated] Gets backend snapshot status of a given file",
		Long: `When --write-out is set to simple, this command prints out comma-separated status lists for each endpoint.
The items in the lists are hash, revision, total keys, total size.

Moved to 'etcdutl snapshot status ...'
`,
		RunE: func(_ *cobra.Command, args []string) error { return runSnapshotStatus(f, args) },
	}
}

func runSnapshotRestore(o *snapshotRestoreOptions, args []string) error {
	f := o.f
	fmt.Fprint(f.IO.ErrOut, "Deprecated: Use `etcdutl snapshot restore` instead.\n\n")
	if len(args) != 1 {
		return cmdutil.BadArgs("snapshot restore requires exactly one argument")
	}
	if err := f.Settle(); err != nil {
		return err
	}
	if o.markCompacted != (o.bumpRevision > 0) { // 3.5 words both cases alike
		return cmdutil.BadArgs("--mark-compacted required if --revision-bump > 0")
	}
	dataDir := o.dataDir
	if dataDir == "" {
		dataDir = o.name + ".etcd"
	}
	helper, err := snapshot35.FindHelper(f.Getenv)
	if err != nil {
		return err
	}
	_, err = snapshot35.Run(helper, snapshot35.Request{
		Op:                  "restore",
		SnapshotPath:        args[0],
		Name:                o.name,
		OutputDataDir:       dataDir,
		OutputWALDir:        o.walDir,
		PeerURLs:            strings.Split(o.initialPeerURLs, ","),
		InitialCluster:      o.initialCluster,
		InitialClusterToken: o.initialClusterToken,
		SkipHashCheck:       o.skipHashCheck,
		InitialMmapSize:     o.initialMmapSize,
		RevisionBump:        o.bumpRevision,
		MarkCompacted:       o.markCompacted,
	}, f.IO.ErrOut)
	return err
}

func runSnapshotStatus(f *cmdutil.Factory, args []string) error {
	fmt.Fprint(f.IO.ErrOut, "Deprecated: Use `etcdutl snapshot status` instead.\n\n")
	if len(args) != 1 {
		return cmdutil.BadArgs("snapshot status requires exactly one argument")
	}
	p, err := f.Printer()
	if err != nil {
		return err
	}
	if p.Format == printer.Protobuf {
		return p.Unsupported()
	}
	helper, err := snapshot35.FindHelper(f.Getenv)
	if err != nil {
		return err
	}
	ds, err := snapshot35.Run(helper, snapshot35.Request{Op: "status", SnapshotPath: args[0]}, f.IO.ErrOut)
	if err != nil {
		return err
	}
	if err := p.SnapshotStatus(printer.SnapshotFileStatus{Hash: ds.Hash, Revision: ds.Revision, TotalKey: ds.TotalKey, TotalSize: ds.TotalSize}); err != nil {
		return err
	}
	return p.Flush()
}
