package printer

// SnapshotSaved reports a saved snapshot (the same lines in every output format, as upstream).
func (p *Printer) SnapshotSaved(path, serverVersion string) {
	p.Printf("Snapshot saved at %s\nServer version %s\n", path, serverVersion)
}
