package printer

// ImportResult reports an import: how many keys were written (or, with --dry-run, would be).
func (p *Printer) ImportResult(n int64, dryRun bool) error {
	if p.Format == JSON {
		return p.WriteJSON(struct {
			Keys   int64 `json:"keys"`
			DryRun bool  `json:"dry_run"`
		}{n, dryRun})
	}
	noun := "keys"
	if n == 1 {
		noun = "key"
	}
	if dryRun {
		p.printf("Would import %d %s (dry run)\n", n, noun)
	} else {
		p.printf("Imported %d %s\n", n, noun)
	}
	return nil
}
