package commands

import (
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/iostreams"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"
)

// seamRun runs one verb in-process with no cluster: the verb built by newCmd sits under a bare
// root that carries the global flags, argv follows the verb's name, and runF captures the
// options the verb parsed and validated instead of running it. It returns those options (nil
// when parsing or validation failed first) and the error.
func seamRun[O any](t *testing.T, newCmd func(*cmdutil.Factory, func(*O) error) *cobra.Command, argv ...string) (*O, error) {
	t.Helper()
	return seamRunWith(t, nil, newCmd, argv...)
}

// seamRunWith is seamRun with the factory prepared first by setup (when not nil): an environment
// (f.Environ), the whole command line (f.Args), a dialect.
func seamRunWith[O any](t *testing.T, setup func(*cmdutil.Factory), newCmd func(*cmdutil.Factory, func(*O) error) *cobra.Command, argv ...string) (*O, error) {
	t.Helper()
	streams, _, _, _ := iostreams.Test()
	f := cmdutil.NewFactory(streams, nil)
	if setup != nil {
		setup(f)
	}
	var got *O
	c := newCmd(f, func(o *O) error { got = o; return nil })
	root := &cobra.Command{Use: "etcdctl", SilenceErrors: true, SilenceUsage: true}
	f.Global.Register(root.PersistentFlags())
	root.AddCommand(c)
	root.SetArgs(append([]string{c.Name()}, argv...))
	root.SetOut(streams.Out)
	root.SetErr(streams.ErrOut)
	_, err := root.ExecuteC()
	return got, err
}

// seamCase is one row of a verb's parsing table: argv after the verb, and either the options
// expected (checked by want) or the error kind and message expected.
type seamCase[O any] struct {
	name    string
	argv    []string
	want    func(t *testing.T, o *O)
	errKind error                    // e.g. &cmdutil.BadArgsError{}; nil when no error is expected
	errMsg  string                   // the error's text
	setup   func(f *cmdutil.Factory) // prepares the factory (environment, command line); may be nil
}

// runSeamCases runs a parsing table against newCmd.
func runSeamCases[O any](t *testing.T, newCmd func(*cmdutil.Factory, func(*O) error) *cobra.Command, cases []seamCase[O]) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o, err := seamRunWith(t, tc.setup, newCmd, tc.argv...)
			if tc.errMsg != "" || tc.errKind != nil {
				require.Error(t, err)
				require.Nil(t, o, "runF must not be reached when validation fails")
				if tc.errMsg != "" {
					require.Equal(t, tc.errMsg, err.Error())
				}
				if tc.errKind != nil {
					require.IsType(t, tc.errKind, cmdutil.Kind(err))
				}
				return
			}
			require.NoError(t, err)
			require.NotNil(t, o)
			if tc.want != nil {
				tc.want(t, o)
			}
		})
	}
}

// seamOutput runs one verb like seamRunWith and also returns what it wrote on stdout and stderr
// before runF (validation must print nothing but what upstream prints before its checks).
func seamOutput[O any](t *testing.T, newCmd func(*cmdutil.Factory, func(*O) error) *cobra.Command, argv ...string) (o *O, stdout, stderr string, err error) {
	t.Helper()
	var out, errOut interface{ String() string }
	o, err = seamRunWith(t, func(f *cmdutil.Factory) {
		out = f.IO.Out.(interface{ String() string })
		errOut = f.IO.ErrOut.(interface{ String() string })
	}, newCmd, argv...)
	return o, out.String(), errOut.String(), err
}
