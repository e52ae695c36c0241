package commands

import (
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/stretchr/testify/require"
)

// Parsing and validation of `lease grant`, in-process and without a cluster.
func TestNewCmdLeaseGrant(t *testing.T) {
	runSeamCases(t, newCmdLeaseGrant, []seamCase[LeaseGrantOptions]{
		{name: "ttl", argv: []string{"60"}, want: func(t *testing.T, o *LeaseGrantOptions) { require.EqualValues(t, 60, o.TTL) }},
		{name: "negative ttl reaches the server", argv: []string{"--", "-5"}, want: func(t *testing.T, o *LeaseGrantOptions) { require.EqualValues(t, -5, o.TTL) }},
		{name: "no ttl", argv: nil, errKind: &cmdutil.BadArgsError{}, errMsg: "lease grant command needs TTL argument"},
		{name: "two args", argv: []string{"1", "2"}, errKind: &cmdutil.BadArgsError{}, errMsg: "lease grant command needs TTL argument"},
		{name: "not a number", argv: []string{"1m"}, errKind: &cmdutil.BadArgsError{}, errMsg: `bad TTL (strconv.ParseInt: parsing "1m": invalid syntax)`},
	})
}
