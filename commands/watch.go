package commands

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/printer"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// watchFlags are the flags of `watch` (also accepted on each line of interactive mode).
type watchFlags struct {
	Interactive    bool
	Prefix         bool
	Rev            int64
	PrevKV         bool
	ProgressNotify bool
}

func (o *watchFlags) register(fs *pflag.FlagSet) {
	fs.BoolVarP(&o.Interactive, "interactive", "i", false, "Interactive mode")
	fs.BoolVar(&o.Prefix, "prefix", false, "Watch on a prefix if prefix is set")
	fs.Int64Var(&o.Rev, "rev", 0, "Revision to start watching")
	fs.BoolVar(&o.PrevKV, "prev-kv", false, "get the previous key-value pair before the event happens")
	fs.BoolVar(&o.ProgressNotify, "progress-notify", false, "get periodic watch progress notification from server")
}

// WatchOptions is what `watch` parsed: its flags, the watch to run (arguments, `--` command and
// ETCDCTL_WATCH_KEY / ETCDCTL_WATCH_RANGE_END applied) and, when the arguments are wrong in a way
// upstream reports only after choosing the printer, that error (ArgErr, reported by runWatch).
type WatchOptions struct {
	F *cmdutil.Factory
	watchFlags
	Target watchTarget
	ArgErr error
}

// NewCmdWatch watches keys or prefixes and prints every event (optionally running a command per
// event).
func NewCmdWatch(f *cmdutil.Factory) *cobra.Command { return newCmdWatch(f, nil) }

// newCmdWatch builds it; runF, when not nil, receives the parsed options instead of runWatch
// (tests of parsing and validation, no cluster).
func newCmdWatch(f *cmdutil.Factory, runF func(*WatchOptions) error) *cobra.Command {
	opts := &WatchOptions{F: f}
	c := &cobra.Command{
		Use:               "watch [options] [key or prefix] [range_end] [--] [exec-command arg1 arg2 ...]",
		ValidArgsFunction: completeArgs(f, completeKey, completeKey),
		Short:             "Watches events stream on keys or prefixes",
		RunE: func(c *cobra.Command, args []string) error {
			// Upstream's order: the watch variables and the command line's words (nothing after
			// the word `watch`, a `--` with nothing after it, arguments besides ETCDCTL_WATCH_KEY:
			// watchSplitArgs' errors that are not about one line), then the format (runWatch),
			// then the rest of the arguments.
			envKey, envRange := f.Getenv("ETCDCTL_WATCH_KEY"), f.Getenv("ETCDCTL_WATCH_RANGE_END")
			t, splitErr := watchSplitArgs(args, c.ArgsLenAtDash(), envKey, envRange, opts.watchFlags)
			var ae *watchArgError
			if errors.As(splitErr, &ae) && !ae.line && (!opts.Interactive || envKey == "" && envRange != "") {
				return cmdutil.AsBadArgs(splitErr)
			}
			if !opts.Interactive && watchNothingAfterVerb(f.Args) && envKey == "" {
				return cmdutil.BadArgs("bad number of arguments")
			}
			opts.Target, opts.ArgErr = t, splitErr
			if runF != nil {
				return runF(opts)
			}
			return runWatch(opts)
		},
	}
	opts.register(c.Flags())
	return c
}

// watchTarget is one watch to run: what to watch and what to execute per event.
type watchTarget struct {
	key, rangeEnd string
	hasRange      bool
	exec          []string
	opts          watchFlags
}

// watchArgError is an argument error of watch. Interactive mode treats the kinds differently:
// separator and environment conflicts end the process, the others only reject the line.
type watchArgError struct {
	msg  string
	line bool // only the line is rejected in interactive mode
	// noKey: neither an argument nor ETCDCTL_WATCH_KEY gave a key.
	noKey bool
}

func (e *watchArgError) Error() string { return e.msg }

// watchSplitArgs splits the arguments at the `--` separator (dash is the count of arguments
// before it, -1 without one) and applies ETCDCTL_WATCH_KEY / ETCDCTL_WATCH_RANGE_END.
func watchSplitArgs(args []string, dash int, envKey, envRange string, o watchFlags) (watchTarget, error) {
	t := watchTarget{opts: o}
	if envKey == "" && envRange != "" {
		return t, &watchArgError{msg: fmt.Sprintf("ETCDCTL_WATCH_KEY is empty but got ETCDCTL_WATCH_RANGE_END=%q", envRange)}
	}
	watchArgs := args
	if dash >= 0 {
		watchArgs, t.exec = args[:dash], args[dash:]
		if len(t.exec) == 0 {
			return t, &watchArgError{msg: "bad number of arguments (found separator --, but no commands)"}
		}
	}
	if envKey != "" {
		if len(watchArgs) > 0 {
			return t, &watchArgError{msg: "bad number of arguments (found conflicting environment key)"}
		}
		watchArgs = []string{envKey}
		if envRange != "" {
			watchArgs = append(watchArgs, envRange)
		}
	}
	if len(watchArgs) == 0 {
		return t, &watchArgError{msg: "bad number of arguments", line: true, noKey: true}
	}
	t.key = watchArgs[0]
	if len(watchArgs) == 2 {
		if o.Prefix {
			return t, &watchArgError{msg: "`range_end` and `--prefix` are mutually exclusive", line: true}
		}
		t.rangeEnd, t.hasRange = watchArgs[1], true
	}
	return t, nil
}

func (t watchTarget) ops() []clientv3.OpOption {
	opts := []clientv3.OpOption{clientv3.WithRev(t.opts.Rev)}
	if t.hasRange {
		opts = append(opts, clientv3.WithRange(t.rangeEnd))
	}
	if t.opts.Prefix {
		opts = append(opts, clientv3.WithPrefix())
	}
	if t.opts.PrevKV {
		opts = append(opts, clientv3.WithPrevKV())
	}
	if t.opts.ProgressNotify {
		opts = append(opts, clientv3.WithProgressNotify())
	}
	return opts
}

// watchNothingAfterVerb reports a command line that ends with the word `watch` itself (a prefix
// such as `wat` does not count, as upstream).
func watchNothingAfterVerb(argv []string) bool {
	for i, a := range argv {
		if a == "watch" {
			return i == len(argv)-1
		}
	}
	return false
}

func runWatch(opts *WatchOptions) error {
	f := opts.F
	if _, err := f.Printer(); err != nil {
		return err
	}
	if opts.Interactive {
		return runWatchInteractive(f)
	}
	if opts.ArgErr != nil {
		return cmdutil.AsBadArgs(opts.ArgErr)
	}
	t := opts.Target
	p, cli, err := f.Connect()
	if err != nil {
		return err
	}
	defer cli.Close()
	w := &watchRunner{f: f, p: p, cli: cli}
	ctx := context.Background()
	if err := w.run(ctx, t, w.cli.Watch(ctx, t.key, t.ops()...)); err != nil {
		return err
	}
	return cmdutil.Interrupted("watch is canceled by the server")
}

// watchRunner prints the events of one or more watches (interactive mode runs several at once).
type watchRunner struct {
	f   *cmdutil.Factory
	p   *printer.Printer
	cli *clientv3.Client
	mu  sync.Mutex // serialises printing and command runs between watches
}

// run watches t until the server cancels the watch (nil is returned then, after the cancel
// message) or printing/executing fails (that error is returned). The client library resumes the
// stream on another member, from the next revision, when a member goes away; if the channel
// closes without a cancel, the watch is opened again from the revision after the last one seen.
func (w *watchRunner) run(ctx context.Context, t watchTarget, wch clientv3.WatchChan) error {
	lastRev := int64(0)
	for {
		canceled := false
		for resp := range wch {
			if n := len(resp.Events); n > 0 {
				lastRev = resp.Events[n-1].Kv.ModRevision
			}
			if err := w.handle(&resp, t); err != nil {
				return err
			}
			if resp.Canceled {
				canceled = true
			}
		}
		if canceled || ctx.Err() != nil {
			return nil
		}
		ops := t.ops()
		if lastRev > 0 {
			ops = append(ops, clientv3.WithRev(lastRev+1))
		}
		wch = w.cli.Watch(ctx, t.key, ops...)
	}
}

func (w *watchRunner) handle(resp *clientv3.WatchResponse, t watchTarget) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	p := w.p
	if resp.IsProgressNotify() {
		p.WatchProgress(resp.Header.Revision)
	}
	if err := p.Watch(resp); err != nil {
		return err
	}
	if err := p.Flush(); err != nil {
		return cmdutil.AsIO(err)
	}
	if resp.Canceled {
		fmt.Fprintf(w.f.IO.ErrOut, "watch was canceled (%v)\n", resp.Err())
	}
	if len(t.exec) == 0 {
		return nil
	}
	for _, ev := range resp.Events {
		if err := w.exec(resp, ev, t.exec); err != nil {
			return err
		}
	}
	return nil
}

// exec runs the per-event command with the event in its environment, on our stdout/stderr.
func (w *watchRunner) exec(resp *clientv3.WatchResponse, ev *clientv3.Event, argv []string) error {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(append([]string(nil), w.f.Environ...),
		fmt.Sprintf("ETCD_WATCH_REVISION=%d", resp.Header.Revision),
		fmt.Sprintf("ETCD_WATCH_EVENT_TYPE=%q", ev.Type.String()),
		fmt.Sprintf("ETCD_WATCH_KEY=%q", ev.Kv.Key),
		fmt.Sprintf("ETCD_WATCH_VALUE=%q", ev.Kv.Value),
	)
	cmd.Stdout = w.p.WatchCommandOutput()
	cmd.Stderr = w.f.IO.ErrOut
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(w.f.IO.ErrOut, "command %q error (%v)\n", argv, err)
		return &cmdutil.ReportedError{}
	}
	return w.p.Flush()
}

// runWatchInteractive reads `watch ...` and `progress` lines from stdin and runs each watch
// concurrently, until stdin ends (exit 3, as upstream).
func runWatchInteractive(f *cmdutil.Factory) error {
	p, err := f.Printer()
	if err != nil {
		return err
	}
	// The lines are read (and bad ones reported) before a dead cluster shows: that waits for
	// the first request, a `progress` or a watch.
	cli, verdict, err := f.ClientDeferred()
	if err != nil {
		return err
	}
	defer cli.Close()
	w := &watchRunner{f: f, p: p, cli: cli}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fatal := make(chan error, 1)
	lines := make(chan string)
	readErr := make(chan error, 1)
	go func() {
		r := bufio.NewReader(f.IO.In)
		for {
			l, err := r.ReadString('\n')
			if err != nil {
				readErr <- err
				return
			}
			lines <- l
		}
	}()
	for {
		var line string
		select {
		case err := <-fatal:
			return err
		case err := <-readErr:
			return cmdutil.InvalidInput("error reading watch request line: %v", err)
		case line = <-lines:
		}
		l := strings.TrimSuffix(line, "\n")
		args, aerr := txnArgify(l)
		if aerr != nil || len(args) == 0 {
			fmt.Fprintf(f.IO.ErrOut, "Invalid command: %s (watch and progress supported)\n", l)
			continue
		}
		if args[0] == "progress" {
			if verdict != nil {
				return verdict
			}
			rctx, rcancel := f.CommandContext()
			err := cli.RequestProgress(rctx)
			rcancel()
			if err != nil {
				fmt.Fprintf(f.IO.ErrOut, "Invalid command %s (%v)\n", l, err)
			}
			continue
		}
		if args[0] != "watch" {
			fmt.Fprintf(f.IO.ErrOut, "Invalid command %s (only support watch)\n", l)
			continue
		}
		var o watchFlags
		fs := pflag.NewFlagSet("watch", pflag.ContinueOnError)
		fs.SetOutput(io.Discard)
		o.register(fs)
		if err := fs.Parse(args[1:]); err != nil {
			return cmdutil.AsBadArgs(err)
		}
		t, err := watchSplitArgs(fs.Args(), fs.ArgsLenAtDash(), f.Getenv("ETCDCTL_WATCH_KEY"), f.Getenv("ETCDCTL_WATCH_RANGE_END"), o)
		if err != nil {
			var ae *watchArgError
			// A lone `watch` is only rejected; `watch --prefix` (flags but no key) is fatal.
			if errors.As(err, &ae) && ae.line && !(ae.noKey && len(args) >= 2) {
				if ae.noKey {
					err = errors.New("command type or key is not provided")
				}
				fmt.Fprintf(f.IO.ErrOut, "Invalid command %s (%v)\n", l, err)
				continue
			}
			return cmdutil.AsBadArgs(err)
		}
		if verdict != nil {
			return verdict
		}
		// Open the watch here, in order, so that a following `progress` line reaches it.
		wch := cli.Watch(ctx, t.key, t.ops()...)
		go func() {
			if err := w.run(ctx, t, wch); err != nil {
				select {
				case fatal <- err:
				default:
				}
			}
		}()
	}
}
