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

func TestNewCmdLeaseRevoke(t *testing.T) {
	bad := &cmdutil.BadArgsError{}
	runSeamCases(t, newCmdLeaseRevoke, []seamCase[LeaseRevokeOptions]{
		{name: "hex id", argv: []string{"694d77aa9e38260f"}, want: func(t *testing.T, o *LeaseRevokeOptions) {
			require.NotNil(t, o.F)
			require.EqualValues(t, int64(0x694d77aa9e38260f), o.ID)
		}},
		{name: "no id", errKind: bad, errMsg: "lease revoke command needs 1 argument"},
		{name: "two ids", argv: []string{"1", "2"}, errKind: bad, errMsg: "lease revoke command needs 1 argument"},
		{name: "bad hex", argv: []string{"zz"}, errKind: bad,
			errMsg: `bad lease ID arg (strconv.ParseInt: parsing "zz": invalid syntax), expecting ID in Hex`},
		{name: "overflow", argv: []string{"ffffffffffffffff"}, errKind: bad,
			errMsg: `bad lease ID arg (strconv.ParseInt: parsing "ffffffffffffffff": value out of range), expecting ID in Hex`},
	})
}

func TestNewCmdLeaseTimeToLive(t *testing.T) {
	bad := &cmdutil.BadArgsError{}
	runSeamCases(t, newCmdLeaseTimeToLive, []seamCase[LeaseTimeToLiveOptions]{
		{name: "id", argv: []string{"1f"}, want: func(t *testing.T, o *LeaseTimeToLiveOptions) {
			require.NotNil(t, o.F)
			require.Equal(t, "1f", o.IDArg)
			require.False(t, o.Keys)
		}},
		// The ID is checked after the printer is chosen (upstream: `-w foo zz` fails on the format).
		{name: "bad hex is checked later", argv: []string{"--keys", "zz"}, want: func(t *testing.T, o *LeaseTimeToLiveOptions) {
			require.Equal(t, "zz", o.IDArg)
			require.True(t, o.Keys)
		}},
		{name: "no id", errKind: bad, errMsg: "lease timetolive command needs lease ID as argument"},
		{name: "two ids", argv: []string{"1", "2"}, errKind: bad, errMsg: "lease timetolive command needs lease ID as argument"},
	})
}

func TestNewCmdLeaseList(t *testing.T) {
	runSeamCases(t, newCmdLeaseList, []seamCase[LeaseListOptions]{
		{name: "no args", want: func(t *testing.T, o *LeaseListOptions) { require.NotNil(t, o.F) }},
		{name: "args are ignored", argv: []string{"x"}, want: func(t *testing.T, o *LeaseListOptions) { require.NotNil(t, o.F) }},
	})
}

func TestNewCmdLeaseKeepAlive(t *testing.T) {
	bad := &cmdutil.BadArgsError{}
	runSeamCases(t, newCmdLeaseKeepAlive, []seamCase[LeaseKeepAliveOptions]{
		{name: "id", argv: []string{"a"}, want: func(t *testing.T, o *LeaseKeepAliveOptions) {
			require.NotNil(t, o.F)
			require.EqualValues(t, 10, o.ID)
			require.False(t, o.Once)
		}},
		{name: "once", argv: []string{"--once", "A"}, want: func(t *testing.T, o *LeaseKeepAliveOptions) {
			require.EqualValues(t, 10, o.ID)
			require.True(t, o.Once)
		}},
		{name: "no id", errKind: bad, errMsg: "lease keep-alive command needs lease ID as argument"},
		{name: "two ids", argv: []string{"1", "2"}, errKind: bad, errMsg: "lease keep-alive command needs lease ID as argument"},
		{name: "bad hex", argv: []string{"zz"}, errKind: bad,
			errMsg: `bad lease ID arg (strconv.ParseInt: parsing "zz": invalid syntax), expecting ID in Hex`},
	})
}
