package printer

import "io"

// Plain is a simple-format printer for the verbs that print the same text whatever -w says
// (version, options, the config verbs): they never fail on an unknown format.
func Plain(w io.Writer) *Printer {
	p, _ := New(Simple.String(), false, w)
	return p
}

// Version prints etcdctl's release and its API version.
func (p *Printer) Version(version, apiVersion string) {
	p.printf("etcdctl version: %s\nAPI version: %s\n", version, apiVersion)
}

// Options lists the global flags (their usage lines).
func (p *Printer) Options(usages string) {
	p.w.WriteString("The following options can be passed to any command:\n\n")
	p.w.WriteString(usages)
}

// Compacted reports a compaction (the same line whatever -w says, as upstream).
func (p *Printer) Compacted(rev int64) { p.printf("compacted revision %v\n", rev) }

// Script writes a generated document (a shell completion script) to the output.
func (p *Printer) Script(generate func(io.Writer) error) error { return generate(p.w) }
