package commands

import (
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/stretchr/testify/assert"
)

// Parsing and validation of `make-mirror`, in-process and without a cluster.
func TestNewCmdMakeMirror(t *testing.T) {
	runSeamCases(t, newCmdMakeMirror, []seamCase[MakeMirrorOptions]{
		{name: "defaults", argv: []string{"127.0.0.1:1"}, want: func(t *testing.T, o *MakeMirrorOptions) {
			assert.Equal(t, "127.0.0.1:1", o.Dest)
			assert.Empty(t, o.Prefix)
			assert.Empty(t, o.DestPrefix)
			assert.False(t, o.NoDestPrefix)
			assert.EqualValues(t, 128, o.MaxTxnOps)
			assert.Zero(t, o.Rev)
			assert.True(t, o.DestInsecureTransport)
			assert.Empty(t, o.DestCert+o.DestKey+o.DestCACert+o.DestUser+o.DestPassword)
			assert.Equal(t, mirrorProgressInterval, o.Interval)
		}},
		{name: "every flag", argv: []string{"--prefix", "a/", "--dest-prefix", "b/", "--max-txn-ops", "3", "--rev", "7",
			"--dest-cert", "c.pem", "--dest-key", "k.pem", "--dest-cacert", "ca.pem", "--dest-insecure-transport=false",
			"--dest-user", "u", "--dest-password", "p", "h1:1,h2:2"}, want: func(t *testing.T, o *MakeMirrorOptions) {
			assert.Equal(t, "a/", o.Prefix)
			assert.Equal(t, "b/", o.DestPrefix)
			assert.EqualValues(t, 3, o.MaxTxnOps)
			assert.EqualValues(t, 7, o.Rev)
			assert.Equal(t, "c.pem", o.DestCert)
			assert.Equal(t, "k.pem", o.DestKey)
			assert.Equal(t, "ca.pem", o.DestCACert)
			assert.False(t, o.DestInsecureTransport)
			assert.Equal(t, "u", o.DestUser)
			assert.Equal(t, "p", o.DestPassword)
			assert.Equal(t, "h1:1,h2:2", o.Dest)
		}},
		{name: "no-dest-prefix", argv: []string{"--no-dest-prefix", "d"}, want: func(t *testing.T, o *MakeMirrorOptions) { assert.True(t, o.NoDestPrefix) }},
		{name: "an empty dest-prefix still conflicts", argv: []string{"--dest-prefix", "", "--no-dest-prefix", "d"}, errKind: &cmdutil.BadArgsError{},
			errMsg: "`--dest-prefix` and `--no-dest-prefix` cannot be set at the same time, choose one"},
		{name: "no destination", errKind: &cmdutil.BadArgsError{}, errMsg: "make-mirror takes one destination argument"},
		{name: "two destinations", argv: []string{"a", "b"}, errKind: &cmdutil.BadArgsError{}, errMsg: "make-mirror takes one destination argument"},
		{name: "arg count before the conflict", argv: []string{"--dest-prefix", "x", "--no-dest-prefix"}, errKind: &cmdutil.BadArgsError{}, errMsg: "make-mirror takes one destination argument"},
		{name: "negative max-txn-ops", argv: []string{"--max-txn-ops", "-1", "d"}, errMsg: `invalid argument "-1" for "--max-txn-ops" flag: strconv.ParseUint: parsing "-1": invalid syntax`},
		{name: "no progress-interval flag", argv: []string{"--progress-interval", "1s", "d"}, errMsg: "unknown flag: --progress-interval"},
	})
}
