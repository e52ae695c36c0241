package printer

import (
	tablewriter005 "github.com/etcdctl-rewritten/etcdctl/internal/third_party/tablewriter005"
	"github.com/etcdctl-rewritten/etcdctl/internal/third_party/tablewriter114"
	"github.com/etcdctl-rewritten/etcdctl/internal/third_party/tablewriter114/tw"
)

// WriteTable draws a table the way upstream etcdctl 3.7 does (tablewriter v1.1.4, Unicode box,
// centred header, right-aligned cells), or, in the 3.5 and 3.6 dialects, the way they did
// (tablewriter v0.0.5: ASCII `+---+` borders, cells wrapped at 30 columns).
func (p *Printer) WriteTable(header []string, rows [][]string) error {
	if p.Dialect != nil && p.Dialect.ASCIITables {
		t := tablewriter005.NewWriter(p.w)
		t.SetHeader(header)
		t.SetAlignment(tablewriter005.ALIGN_RIGHT)
		t.AppendBulk(rows)
		t.Render()
		return nil
	}
	t := tablewriter.NewTable(p.w,
		tablewriter.WithRowAlignment(tw.AlignRight),
	)
	t.Header(header)
	for _, r := range rows {
		if err := t.Append(r); err != nil {
			return err
		}
	}
	return t.Render()
}
