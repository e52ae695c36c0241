package commands

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/printer"
	"github.com/spf13/cobra"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/client/v3/concurrency"
)

// LockOptions is what `lock` parsed: the session TTL, the lock's name and the command to run
// while holding it (none: print the lock's key and hold it until interrupted).
type LockOptions struct {
	F    *cmdutil.Factory
	TTL  int
	Name string
	Argv []string
}

// NewCmdLock is `etcdctl lock <lockname> [exec-command arg1 arg2 ...]`.
func NewCmdLock(f *cmdutil.Factory) *cobra.Command { return newCmdLock(f, nil) }

// newCmdLock builds it; runF, when not nil, receives the parsed options instead of runLock
// (tests of parsing and validation, no cluster).
func newCmdLock(f *cmdutil.Factory, runF func(*LockOptions) error) *cobra.Command {
	o := &LockOptions{F: f}
	c := &cobra.Command{
		Use:   "lock <lockname> [exec-command arg1 arg2 ...]",
		Short: "Acquires a named lock",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmdutil.BadArgs("lock takes a lock name argument and an optional command to execute")
			}
			o.Name, o.Argv = args[0], args[1:]
			if runF != nil {
				return runF(o)
			}
			return runLock(o)
		},
	}
	c.Flags().IntVar(&o.TTL, "ttl", 10, "timeout for session")
	return c
}

// lockSignalContext is cancelled by SIGINT or SIGTERM (upstream ends lock and elect cleanly on both).
func lockSignalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// lockReleaseTimeout bounds the clean-up calls (unlock, lease revoke) on the way out.
const lockReleaseTimeout = 5 * time.Second

// lockReleaseContext is the context for clean-up calls made after a signal cancelled the main one.
func lockReleaseContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), lockReleaseTimeout)
}

func runLock(o *LockOptions) error {
	f := o.F
	p, cli, err := f.Connect()
	if err != nil {
		return err
	}
	defer cli.Close()

	ctx, stop := lockSignalContext()
	defer stop()

	s, err := concurrency.NewSession(cli, concurrency.WithTTL(o.TTL))
	if err != nil {
		return err
	}
	defer lockCloseSession(s)

	m := concurrency.NewMutex(s, o.Name)
	if err := m.Lock(ctx); err != nil {
		return err
	}
	defer func() {
		uctx, cancel := lockReleaseContext()
		defer cancel()
		m.Unlock(uctx)
	}()

	if len(o.Argv) > 0 {
		return lockRunCommand(f, p, m, o.Argv)
	}

	resp, err := cli.Get(ctx, m.Key())
	if err != nil {
		return err
	}
	if !p.LockSupported() {
		return p.Unsupported()
	}
	if err := p.LockKey((*pb.RangeResponse)(resp)); err != nil {
		return err
	}
	p.Flush()

	select {
	case <-ctx.Done():
		return nil
	case <-s.Done():
		return errors.New("session expired")
	}
}

// lockCloseSession revokes the session's lease, bounded in time.
func lockCloseSession(s *concurrency.Session) {
	ctx, cancel := lockReleaseContext()
	defer cancel()
	s.Client().Revoke(ctx, s.Lease())
	s.Orphan()
}

// lockRunCommand runs argv while the lock is held, with ETCD_LOCK_KEY and ETCD_LOCK_REV in its
// environment, and ends with its exit code. A signal to etcdctl does not stop the wait: the
// command (in the same process group on a terminal) decides when it is done.
func lockRunCommand(f *cmdutil.Factory, p *printer.Printer, m *concurrency.Mutex, argv []string) error {
	cmd := exec.Command(argv[0], argv[1:]...)
	env := make([]string, 0, len(f.Environ)+2)
	env = append(env, "ETCD_LOCK_KEY="+m.Key(), "ETCD_LOCK_REV="+strconv.FormatInt(m.Header().Revision, 10))
	cmd.Env = append(env, f.Environ...)
	cmd.Stdin = f.IO.In
	cmd.Stdout = p.CommandOutput()
	cmd.Stderr = f.IO.ErrOut
	err := cmd.Run()
	if err == nil {
		return nil
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code := ee.ExitCode()
		if code < 0 {
			code = 255 // killed by a signal: upstream exits with -1 & 0xff
		}
		return &cmdutil.ExitStatusError{Status: code, Err: err}
	}
	return err
}
