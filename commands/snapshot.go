package commands

import (
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/printer"
	"github.com/spf13/cobra"
)

const snapshotExample = `  # Save snapshot to a given file
  etcdctl snapshot save /backup/etcd-snapshot.db
  
  # Get snapshot from given address and save it to file
  etcdctl snapshot save --endpoints=127.0.0.1:3000 /backup/etcd-snapshot.db
  
  # Get snapshot from given address with certificates
  etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/etcd/ca.crt --cert=/etc/etcd/etcd.crt --key=/etc/etcd/etcd.key snapshot save /backup/etcd-snapshot.db
  
  # Get snapshot with certain user and password
  etcdctl --user=root --password=password123 snapshot save /backup/etcd-snapshot.db
  
  # Get snapshot from given address with timeout
  etcdctl --endpoints=https://127.0.0.1:2379 --dial-timeout=20s snapshot save /backup/etcd-snapshot.db
  
  # Save snapshot with desirable time format
  etcdctl snapshot save /mnt/backup/etcd/backup_$(date +%Y%m%d_%H%M%S).db`

// SnapshotSaveOptions is what `snapshot save` parsed and validated before it touches the
// environment, the printer or the cluster.
type SnapshotSaveOptions struct {
	F     *cmdutil.Factory
	Path  string
	Timed bool // --command-timeout was given: it bounds the whole save
}

// NewCmdSnapshot is `etcdctl snapshot` and its only etcdctl subcommand, save (status and restore
// live in etcdutl).
func NewCmdSnapshot(f *cmdutil.Factory) *cobra.Command {
	c := &cobra.Command{
		Use:     "snapshot <subcommand>",
		Short:   "Manages etcd node snapshots",
		Example: snapshotExample,
	}
	c.AddCommand(newCmdSnapshotSave(f, nil))
	// 3.5's file verbs; internal/dialect takes them out of the other releases' trees.
	c.AddCommand(newCmdSnapshotRestore(f, nil), newCmdSnapshotStatus(f, nil))
	return c
}

// newCmdSnapshotSave builds `snapshot save`. runF, when not nil, receives the parsed options
// instead of runSnapshotSave.
func newCmdSnapshotSave(f *cmdutil.Factory, runF func(*SnapshotSaveOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:               "save <filename>",
		ValidArgsFunction: completeArgs(f, completeFile),
		Short:             "Stores an etcd node backend snapshot to a given file",
		Example:           snapshotExample,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.BadArgs("snapshot save expects one argument <filename>")
			}
			// Upstream bounds the save by --command-timeout only when the flag is given.
			opts := &SnapshotSaveOptions{F: f, Path: args[0], Timed: c.Flags().Changed("command-timeout")}
			if runF != nil {
				return runF(opts)
			}
			return runSnapshotSave(opts)
		},
	}
}

// snapshotSignalError reports that the save was stopped by a signal; the process ends as a shell
// reports a death by that signal (128+n) without an error line.
func snapshotSignalError(sig os.Signal) error {
	n := 2
	if s, ok := sig.(syscall.Signal); ok {
		n = int(s)
	}
	return &cmdutil.ExitStatusError{Status: 128 + n}
}

// runSnapshotSave streams the backend of the single selected member into <file>.part, syncs it
// and renames it to <file>. Any failure or interruption removes the partial file.
func runSnapshotSave(o *SnapshotSaveOptions) (retErr error) {
	p, err := o.F.Printer()
	if err != nil {
		return err
	}
	cfg, err := o.F.ClientConfig()
	if err != nil {
		return err
	}
	if len(cfg.Endpoints) != 1 {
		return cmdutil.Interrupted("snapshot must be requested to one selected node, not multiple %v", cfg.Endpoints)
	}

	// Interrupts cancel the stream; the deferred clean-up then removes the partial file.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	ctx, cancel := context.WithCancel(context.Background())
	if o.Timed {
		ctx, cancel = context.WithTimeout(context.Background(), o.F.Global.CommandTimeout)
	}
	defer cancel()
	var caught atomic.Value
	go func() {
		select {
		case s := <-sigs:
			caught.Store(s)
			cancel()
		case <-ctx.Done():
		}
	}()

	path := o.Path
	part := path + ".part"
	file, err := os.OpenFile(part, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return cmdutil.Interrupted("could not open %s (%v)", part, err)
	}
	done := false
	defer func() {
		if !done {
			file.Close()
			os.Remove(part)
		}
		if s, ok := caught.Load().(os.Signal); ok && retErr != nil {
			retErr = snapshotSignalError(s)
		}
	}()

	cli, err := o.F.ClientFor(*cfg)
	if err != nil {
		return cmdutil.AsInterrupted(cmdutil.Unkind(err))
	}
	defer cli.Close()
	resp, err := cli.SnapshotWithVersion(ctx)
	if err != nil {
		return cmdutil.AsInterrupted(endpointErr(err))
	}
	defer resp.Snapshot.Close()

	// The bytes saved so far and their rate, on a terminal only.
	var saved atomic.Int64
	began := time.Now()
	stopProgress := o.F.IO.Progress(0).Run(200*time.Millisecond, func() string {
		n := saved.Load()
		rate := uint64(0)
		if secs := time.Since(began).Seconds(); secs > 0 {
			rate = uint64(float64(n) / secs)
		}
		return "Saving snapshot: " + printer.EndpointHumanBytes(uint64(n)) + " (" + printer.EndpointHumanBytes(rate) + "/s)"
	})
	defer stopProgress()
	if err := snapshotCopy(file, resp.Snapshot, &saved); err != nil {
		return cmdutil.AsInterrupted(endpointErr(err))
	}
	if err := file.Sync(); err != nil {
		return cmdutil.Interrupted("could not sync %s (%v)", part, err)
	}
	if err := file.Close(); err != nil {
		done = true
		os.Remove(part)
		return cmdutil.Interrupted("could not close %s (%v)", part, err)
	}
	done = true
	if err := os.Rename(part, path); err != nil {
		os.Remove(part)
		return cmdutil.Interrupted("could not rename %s to %s (%v)", part, path, err)
	}
	stopProgress()
	p.SnapshotSaved(path, resp.Version)
	return nil
}

// snapshotCopy copies the stream into the file with a reused 1 MiB buffer, counting for progress.
func snapshotCopy(dst io.Writer, src io.Reader, saved *atomic.Int64) error {
	buf := make([]byte, 1<<20)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return werr
			}
			saved.Add(int64(n))
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
