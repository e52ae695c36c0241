package printer

import (
	"encoding/json"
	"strings"
	"text/tabwriter"
)

// ConfigContext is one context of the config file as `config get-contexts` lists it.
type ConfigContext struct {
	Name     string
	Current  bool
	Settings map[string]string
	// Endpoints, User and TLS are the listing's columns ("yes", "no", "yes (unverified)").
	Endpoints, User, TLS string
}

type configContextJSON struct {
	Name     string            `json:"name"`
	Current  bool              `json:"current"`
	Settings map[string]string `json:"settings"`
}

// ConfigContexts lists contexts: one JSON document, a table, or (simple) tab-aligned columns.
// The caller has checked the format is one of those.
func (p *Printer) ConfigContexts(current string, list []ConfigContext) error {
	header := []string{"CURRENT", "NAME", "ENDPOINTS", "USER", "TLS"}
	rows := make([][]string, 0, len(list))
	for _, c := range list {
		cur := ""
		if c.Current {
			cur = "*"
		}
		rows = append(rows, []string{cur, c.Name, c.Endpoints, c.User, c.TLS})
	}
	switch p.Format {
	case JSON:
		out := make([]configContextJSON, 0, len(list))
		for _, c := range list {
			s := c.Settings
			if s == nil {
				s = map[string]string{}
			}
			out = append(out, configContextJSON{Name: c.Name, Current: c.Current, Settings: s})
		}
		b, err := json.Marshal(map[string]any{"current-context": current, "contexts": out})
		if err != nil {
			return err
		}
		p.w.Write(b)
		p.w.WriteByte('\n')
		return nil
	case Table:
		return p.WriteTable(header, rows)
	}
	tw := tabwriter.NewWriter(p.w, 0, 8, 3, ' ', 0)
	tw.Write([]byte(strings.Join(header, "\t") + "\n"))
	for _, r := range rows {
		tw.Write([]byte(strings.Join(r, "\t") + "\n"))
	}
	return tw.Flush()
}

// ConfigCurrentContext prints the name of the current context.
func (p *Printer) ConfigCurrentContext(name string) { p.w.WriteString(name + "\n") }

// ConfigSwitched reports a new current context.
func (p *Printer) ConfigSwitched(name string) { p.printf("Switched to context %q.\n", name) }

// ConfigDeleted reports a context deleted from the file at path.
func (p *Printer) ConfigDeleted(name, path string) {
	p.printf("Deleted context %q from %s.\n", name, path)
}

// ConfigSaved reports a context created or modified.
func (p *Printer) ConfigSaved(name string, created bool) {
	verb := "modified"
	if created {
		verb = "created"
	}
	p.printf("Context %q %s.\n", name, verb)
}

// ConfigView prints the config file's text as it is.
func (p *Printer) ConfigView(b []byte) { p.w.Write(b) }
