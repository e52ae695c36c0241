package difftest

import (
	"fmt"
	"strings"
)

// AddedLinesOnly checks that ours is ref with lines added: every line of ref appears in ours,
// unchanged and in the same order, and every other line of ours starts with one of allowed (the
// lines our additions bring, e.g. a new flag's usage line). It returns what is wrong, or nil.
func AddedLinesOnly(ref, ours string, allowed ...string) error {
	a, b := strings.Split(ref, "\n"), strings.Split(ours, "\n")
	i := 0
	var extra []string
	for _, l := range b {
		if i < len(a) && l == a[i] {
			i++
			continue
		}
		ok := false
		for _, p := range allowed {
			if p != "" && strings.HasPrefix(l, p) {
				ok = true
				break
			}
		}
		if !ok {
			extra = append(extra, l)
		}
	}
	switch {
	case i < len(a):
		return fmt.Errorf("upstream's line %d %q is missing or out of order", i+1, a[i])
	case len(extra) > 0:
		return fmt.Errorf("lines that are neither upstream's nor an allowed addition: %q", extra)
	}
	return nil
}

// OurHelpLines are the starts of the only lines our additions bring to upstream's help pages
// (the usage lines of our flags): `--context` on the `options` page, `--rolling` and
// `--wait-between` on defrag's help and usage. Every other line of every page is upstream's.
func OurHelpLines() []string {
	return []string{"      --context string ", "      --rolling ", "      --wait-between duration "}
}
