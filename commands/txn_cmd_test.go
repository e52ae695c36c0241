package commands

import (
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/stretchr/testify/require"
)

// Parsing and validation of `txn` itself (the transaction text is read later, from stdin, and
// is covered by txn_test.go and the fuzz target).
func TestNewCmdTxn(t *testing.T) {
	runSeamCases(t, newCmdTxn, []seamCase[TxnOptions]{
		{name: "default", want: func(t *testing.T, o *TxnOptions) {
			require.NotNil(t, o.F)
			require.False(t, o.Interactive)
		}},
		{name: "interactive", argv: []string{"-i"}, want: func(t *testing.T, o *TxnOptions) { require.True(t, o.Interactive) }},
		{name: "interactive long", argv: []string{"--interactive"}, want: func(t *testing.T, o *TxnOptions) { require.True(t, o.Interactive) }},
		{name: "an argument", argv: []string{"a"}, errKind: &cmdutil.BadArgsError{}, errMsg: "txn command does not accept argument"},
	})
}
