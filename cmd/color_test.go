package cmd

import (
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/iostreams"
	"github.com/stretchr/testify/assert"
)

// On a terminal the `Error:` word is coloured, unless NO_COLOR is in the environment Main is
// given (not the test process's own).
func TestErrorColourFollowsGivenEnvironment(t *testing.T) {
	for _, c := range []struct {
		environ []string
		want    string
	}{
		{nil, "\x1b[31mError:\x1b[0m get command needs one argument as key and an optional argument as range_end\n"},
		{[]string{"NO_COLOR=1"}, "Error: get command needs one argument as key and an optional argument as range_end\n"},
		{[]string{"NO_COLOR="}, "Error: get command needs one argument as key and an optional argument as range_end\n"},
	} {
		streams, _, _, errOut := iostreams.Test()
		streams.ErrOutTTY = true
		assert.Equal(t, ExitBadArgs, Main([]string{"get"}, streams, c.environ))
		assert.Equal(t, c.want, errOut.String(), "environ %q", c.environ)
	}
}
