package cmdutil

import (
	"bufio"
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/etcdctl-rewritten/etcdctl/internal/iostreams"
)

// The prompt and the line end after the answer reach the terminal when the answer is read, not
// when the command's buffered output is flushed at its end (a hanging dial must not leave the
// cursor on the prompt's line).
func TestPromptFlushesTheLineEnd(t *testing.T) {
	var screen bytes.Buffer
	out := bufio.NewWriterSize(&screen, 4096)
	f := &Factory{IO: &iostreams.IOStreams{In: strings.NewReader("pw\nsecond\n"), Out: out}}
	answer, err := f.Prompt("Password of u: ")
	require.NoError(t, err)
	assert.Equal(t, "pw", answer)
	assert.Equal(t, "Password of u: \n", screen.String(), "written through, nothing left in the buffer")
	assert.Zero(t, out.Buffered())
}
