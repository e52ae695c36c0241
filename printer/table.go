package printer

import (
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// WriteTable draws a table the way upstream etcdctl 3.7 does (tablewriter v1.1.4, Unicode box,
// centred header, right-aligned cells).
func (p *Printer) WriteTable(header []string, rows [][]string) error {
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
