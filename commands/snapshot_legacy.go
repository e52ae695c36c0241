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

// SnapshotRestoreOptions are the flags and the snapshot file of 3.5's `snapshot restore`.
type SnapshotRestoreOptions struct {
	F                   *cmdutil.Factory
	Path                string
	DataDir, WALDir     string
	Name                string
	InitialCluster      string
	InitialClusterToken string
	InitialPeerURLs     string
	SkipHashCheck       bool
	MarkCompacted       bool
	BumpRevision        uint64
	InitialMmapSize     uint64
}

// newCmdSnapshotRestore builds 3.5's `snapshot restore`. Its deprecation notice comes first,
// then the argument check; the flags are checked by runSnapshotRestore once the global
// options are settled (as 3.5). runF, when not nil, receives the parsed options instead.
func newCmdSnapshotRestore(f *cmdutil.Factory, runF func(*SnapshotRestoreOptions) error) *cobra.Command {
	o := &SnapshotRestoreOptions{F: f}
	c := &cobra.Command{
		Use:   "restore <filename> [options]",
		Short: "Restores an etcd member snapshot to an etcd directory",
		Long:  "Moved to `etcdutl snapshot restore ...`\n",
		RunE: func(_ *cobra.Command, args []string) error {
			fmt.Fprint(f.IO.ErrOut, "Deprecated: Use `etcdutl snapshot restore` instead.\n\n")
			if len(args) != 1 {
				return cmdutil.BadArgs("snapshot restore requires exactly one argument")
			}
			o.Path = args[0]
			if runF != nil {
				return runF(o)
			}
			return runSnapshotRestore(o)
		},
	}
	fl := c.Flags()
	fl.StringVar(&o.DataDir, "data-dir", "", "Path to the data directory")
	fl.StringVar(&o.WALDir, "wal-dir", "", "Path to the WAL directory (use --data-dir if none given)")
	fl.StringVar(&o.InitialCluster, "initial-cluster", "default=http://localhost:2380", "Initial cluster configuration for restore bootstrap")
	fl.StringVar(&o.InitialClusterToken, "initial-cluster-token", "etcd-cluster", "Initial cluster token for the etcd cluster during restore bootstrap")
	fl.StringVar(&o.InitialPeerURLs, "initial-advertise-peer-urls", "http://localhost:2380", "List of this member's peer URLs to advertise to the rest of the cluster")
	fl.StringVar(&o.Name, "name", "default", "Human-readable name for this member")
	fl.BoolVar(&o.SkipHashCheck, "skip-hash-check", false, "Ignore snapshot integrity hash value (required if copied from data directory)")
	fl.Uint64Var(&o.BumpRevision, "bump-revision", 0, "How much to increase the latest revision after restore")
	fl.BoolVar(&o.MarkCompacted, "mark-compacted", false, "Mark the latest revision after restore as the point of scheduled compaction (required if --bump-revision > 0, disallowed otherwise)")
	fl.Uint64Var(&o.InitialMmapSize, "initial-memory-map-size", 0, "Initial memory map size of the database in bytes. It uses the default value if not defined or defined to 0")
	return c
}

// SnapshotStatusOptions is what 3.5's `snapshot status` parsed: the snapshot file.
type SnapshotStatusOptions struct {
	F    *cmdutil.Factory
	Path string
}

// newCmdSnapshotStatus builds 3.5's `snapshot status`: deprecation notice, argument check, then
// runF (when not nil) or runSnapshotStatus.
func newCmdSnapshotStatus(f *cmdutil.Factory, runF func(*SnapshotStatusOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "status <filename>",
		Short: "[deprecated] Gets backend snapshot status of a given file",
		Long: `When --write-out is set to simple, this command prints out comma-separated status lists for each endpoint.
The items in the lists are hash, revision, total keys, total size.

Moved to 'etcdutl snapshot status ...'
`,
		RunE: func(_ *cobra.Command, args []string) error {
			fmt.Fprint(f.IO.ErrOut, "Deprecated: Use `etcdutl snapshot status` instead.\n\n")
			if len(args) != 1 {
				return cmdutil.BadArgs("snapshot status requires exactly one argument")
			}
			o := &SnapshotStatusOptions{F: f, Path: args[0]}
			if runF != nil {
				return runF(o)
			}
			return runSnapshotStatus(o)
		},
	}
}

func runSnapshotRestore(o *SnapshotRestoreOptions) error {
	f := o.F
	if err := f.Settle(); err != nil {
		return err
	}
	if o.MarkCompacted != (o.BumpRevision > 0) { // 3.5 words both cases alike
		return cmdutil.BadArgs("--mark-compacted required if --revision-bump > 0")
	}
	dataDir := o.DataDir
	if dataDir == "" {
		dataDir = o.Name + ".etcd"
	}
	helper, err := snapshot35.FindHelper(f.Getenv)
	if err != nil {
		return err
	}
	_, err = snapshot35.Run(helper, snapshot35.Request{
		Op:                  "restore",
		SnapshotPath:        o.Path,
		Name:                o.Name,
		OutputDataDir:       dataDir,
		OutputWALDir:        o.WALDir,
		PeerURLs:            strings.Split(o.InitialPeerURLs, ","),
		InitialCluster:      o.InitialCluster,
		InitialClusterToken: o.InitialClusterToken,
		SkipHashCheck:       o.SkipHashCheck,
		InitialMmapSize:     o.InitialMmapSize,
		RevisionBump:        o.BumpRevision,
		MarkCompacted:       o.MarkCompacted,
	}, f.IO.ErrOut)
	return err
}

func runSnapshotStatus(o *SnapshotStatusOptions) error {
	f := o.F
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
	ds, err := snapshot35.Run(helper, snapshot35.Request{Op: "status", SnapshotPath: o.Path}, f.IO.ErrOut)
	if err != nil {
		return err
	}
	if err := p.SnapshotStatus(printer.SnapshotFileStatus{Hash: ds.Hash, Revision: ds.Revision, TotalKey: ds.TotalKey, TotalSize: ds.TotalSize}); err != nil {
		return err
	}
	return p.Flush()
}
