package cmdutil

import (
	"context"

	"github.com/etcdctl-rewritten/etcdctl/printer"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// Connect returns the run's printer and a connected client, in upstream's order: SRV discovery
// and the password prompt first (Printer does them), then the printer, so an unknown -w fails
// before the TLS files are read or any connection is tried. The caller closes the client.
func (f *Factory) Connect() (*printer.Printer, *clientv3.Client, error) {
	p, err := f.Printer()
	if err != nil {
		return nil, nil, err
	}
	cli, err := f.Client()
	if err != nil {
		return nil, nil, err
	}
	return p, cli, nil
}

// Request is the shape of most verbs: choose the printer (an unknown -w fails before
// connecting), connect, run one call within the context newCtx gives, then print its result.
// Printing comes after the call, so a format the verb cannot show still leaves the change made,
// as upstream does.
func Request[R any](f *Factory, newCtx func() (context.Context, context.CancelFunc),
	call func(ctx context.Context, cli *clientv3.Client) (R, error),
	show func(p *printer.Printer, r R) error) error {
	p, cli, err := f.Connect()
	if err != nil {
		return err
	}
	defer cli.Close()
	ctx, cancel := newCtx()
	r, err := call(ctx, cli)
	cancel()
	if err != nil {
		return err
	}
	return show(p, r)
}
