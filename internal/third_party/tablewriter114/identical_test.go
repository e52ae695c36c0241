package tablewriter_test

import (
	"bytes"
	"math/rand"
	"strings"
	"testing"

	vendored "github.com/etcdctl-rewritten/etcdctl/internal/third_party/tablewriter114"
	vtw "github.com/etcdctl-rewritten/etcdctl/internal/third_party/tablewriter114/tw"
	upstream "github.com/olekukonko/tablewriter"
	utw "github.com/olekukonko/tablewriter/tw"
	"github.com/stretchr/testify/require"
)

// cellParts are the pieces random cells are made of: the shapes etcdctl's tables hold (IDs,
// URLs, sizes, booleans, keys) plus wide, combining and zero-width characters, spaces and
// the empty string.
var cellParts = []string{"", " ", "8e9e05c52164694d", "http://127.0.0.1:2379", "true", "false",
	"25 kB", "3.7.3", "/registry/pods/default/x", "世界", "é", "e\u0301", "\u200b", "🙂", "a b",
	"x", strings.Repeat("v", 40), "|", "-", "\t"}

func randomCell(r *rand.Rand) string {
	var b strings.Builder
	for n := r.Intn(4); n > 0; n-- {
		b.WriteString(cellParts[r.Intn(len(cellParts))])
	}
	return b.String()
}

// The copy draws every table byte for byte as tablewriter v1.1.4 itself does, with etcdctl's
// options (right-aligned rows) and with the defaults.
func TestIdenticalToUpstreamModule(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 2000; i++ {
		cols := 1 + r.Intn(16)
		header := make([]string, cols)
		for c := range header {
			header[c] = strings.ToUpper(randomCell(r))
		}
		rows := make([][]string, r.Intn(6))
		for j := range rows {
			rows[j] = make([]string, cols)
			for c := range rows[j] {
				rows[j][c] = randomCell(r)
			}
		}
		right := i%2 == 0
		var a, b bytes.Buffer
		var vt *vendored.Table
		var ut *upstream.Table
		if right {
			vt = vendored.NewTable(&a, vendored.WithRowAlignment(vtw.AlignRight))
			ut = upstream.NewTable(&b, upstream.WithRowAlignment(utw.AlignRight))
		} else {
			vt = vendored.NewTable(&a)
			ut = upstream.NewTable(&b)
		}
		vt.Header(header)
		ut.Header(header)
		for _, row := range rows {
			require.NoError(t, vt.Append(row))
			require.NoError(t, ut.Append(row))
		}
		require.NoError(t, vt.Render())
		require.NoError(t, ut.Render())
		require.Equal(t, b.String(), a.String(), "table %d: header %q rows %q", i, header, rows)
	}
}
