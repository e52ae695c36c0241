package cmd

import (
	"strings"
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/stretchr/testify/assert"
)

// An unknown or ambiguous verb gets upstream's suggestions, in upstream's order (the order its
// verbs are added in, not the sorted order help pages show), in every dialect.
func TestUnknownVerbSuggestionsDifferential(t *testing.T) {
	words := []string{"set", "ls", "rm", "mk", "membr", "usr", "rol", "tx", "lese", "snap-shot", "elec",
		"versio", "optins", "chek", "lok", "wach", "compl", "confg", "imprt", "down", "alrm", "ro", "-"}
	for c := 'a'; c <= 'z'; c++ {
		words = append(words, string(c))
	}
	for _, rel := range []struct{ compat, ref string }{{"3.7", ""}, {"3.6", "v3.6.16"}, {"3.5", "v3.5.35"}} {
		ref := ""
		if rel.ref != "" {
			ref = difftest.RefBinaryAt(t, rel.ref)
		}
		opts := difftest.Opts{Env: []string{"ETCDCTL_COMPAT=" + rel.compat, "ETCDCTL_ENDPOINTS=127.0.0.1:1"}, Ref: ref}
		compared := 0
		for _, w := range words {
			p := difftest.Both(t, []string{w}, opts)
			if !strings.Contains(string(p.Ref.Stderr), "unknown command") {
				continue // a unique prefix runs that verb: not a suggestion case
			}
			compared++
			difftest.AssertSame(t, []string{w}, p)
		}
		assert.Greater(t, compared, 20, rel.compat)
	}
}
