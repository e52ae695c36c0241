package printer

// SnapshotSaved reports a saved snapshot (the same lines in every output format, as upstream).
// Servers older than 3.5 send no version: then there is no version line, as upstream; 3.5's
// etcdctl never prints it.
func (p *Printer) SnapshotSaved(path, serverVersion string) {
	p.printf("Snapshot saved at %s\n", path)
	if serverVersion != "" && (p.Dialect == nil || !p.Dialect.SnapshotNoServerVersion) {
		p.printf("Server version %s\n", serverVersion)
	}
}
