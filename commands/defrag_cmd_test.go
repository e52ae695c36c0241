package commands

import (
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/stretchr/testify/assert"
)

// Parsing and validation of `defrag` (and our --rolling), in-process and without a cluster.
func TestNewCmdDefrag(t *testing.T) {
	runSeamCases(t, newCmdDefrag, []seamCase[DefragOptions]{
		{name: "defaults", want: func(t *testing.T, o *DefragOptions) {
			assert.False(t, o.Cluster)
			assert.False(t, o.Rolling)
			assert.Zero(t, o.WaitBetween)
		}},
		{name: "cluster", argv: []string{"--cluster"}, want: func(t *testing.T, o *DefragOptions) {
			assert.True(t, o.Cluster)
			assert.False(t, o.Rolling)
		}},
		{name: "rolling", argv: []string{"--cluster", "--rolling", "--wait-between", "2s"}, want: func(t *testing.T, o *DefragOptions) {
			assert.True(t, o.Cluster)
			assert.True(t, o.Rolling)
			assert.Equal(t, 2*time.Second, o.WaitBetween)
		}},
		{name: "arguments are ignored, as upstream", argv: []string{"x", "y"}, want: func(t *testing.T, o *DefragOptions) { assert.False(t, o.Cluster) }},
		{name: "rolling without cluster", argv: []string{"--rolling"}, errKind: &cmdutil.BadArgsError{}, errMsg: "--rolling requires --cluster"},
		{name: "wait-between without rolling", argv: []string{"--cluster", "--wait-between", "1s"}, errKind: &cmdutil.BadArgsError{}, errMsg: "--wait-between requires --rolling"},
		{name: "zero wait-between still needs rolling", argv: []string{"--wait-between=0s"}, errKind: &cmdutil.BadArgsError{}, errMsg: "--wait-between requires --rolling"},
		{name: "negative wait-between", argv: []string{"--cluster", "--rolling", "--wait-between=-1s"}, errKind: &cmdutil.BadArgsError{}, errMsg: "--wait-between must not be negative"},
		{name: "rolling checked first", argv: []string{"--rolling", "--wait-between=-1s"}, errKind: &cmdutil.BadArgsError{}, errMsg: "--rolling requires --cluster"},
	})
}
