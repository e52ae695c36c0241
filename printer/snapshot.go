package printer

// SnapshotSaved reports a saved snapshot (the same lines in every output format, as upstream).
// Servers older than 3.5 send no version: then there is no version line, as upstream.
func (p *Printer) SnapshotSaved(path, serverVersion string) {
	p.Printf("Snapshot saved at %s\n", path)
	if serverVersion != "" {
		p.Printf("Server version %s\n", serverVersion)
	}
}
