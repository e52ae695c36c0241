package commands_test

import (
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
)

// Every role verb changes the cluster the same way and prints the same bytes as upstream, in every
// output format, and `role get` shows what was granted (ranges, prefixes, open ends, odd bytes).
func TestRoleDifferential(t *testing.T) {
	s := authStart(t, localcluster.Options{}, nil)
	cases := [][]string{
		{"role", "add", "new"},
		{"role", "add", "reader"},
		{"role", "add", ""},
		{"role", "delete", "writer"},
		{"role", "delete", "nope"},
		{"role", "grant-permission", "empty", "read", "k"},
		{"role", "grant-permission", "empty", "Write", "k", "l"},
		{"role", "grant-permission", "empty", "READWRITE", "k", "--prefix"},
		{"role", "grant-permission", "empty", "read", "k", "--from-key"},
		{"role", "grant-permission", "empty", "read", "", "--from-key"},
		{"role", "grant-permission", "empty", "read", "", "--prefix"},
		{"role", "grant-permission", "empty", "read", ""},
		{"role", "grant-permission", "empty", "read", "a", ""},
		{"role", "grant-permission", "empty", "read", "a", "b", "c"},
		{"role", "grant-permission", "empty", "write", "z", "a"},
		{"role", "grant-permission", "empty", "read", "\xff\xff", "--prefix"},
		{"role", "grant-permission", "empty", "read", "k\x01\xff", "--prefix"},
		{"role", "grant-permission", "nope", "read", "k"},
		// An empty key ignores the endkey; an endkey with --prefix is reported before --prefix
		// with --from-key (found by the generated differential tests).
		{"role", "grant-permission", "empty", "write", "", "x"},
		{"role", "grant-permission", "empty", "write", "", "x", "--prefix"},
		{"role", "grant-permission", "empty", "write", "", "k3", "--from-key"},
		{"role", "grant-permission", "nope", "read", "a", "b", "--prefix", "--from-key"},
		{"role", "grant-permission", "nope", "read", "", "x", "--prefix", "--from-key"},
		{"role", "revoke-permission", "reader", "", "k3", "--from-key"},
		{"role", "revoke-permission", "writer", "a", "b", "--from-key", "--prefix"},
		{"role", "revoke-permission", "reader", "foo"},
		{"role", "revoke-permission", "reader", "pre", "--prefix"},
		{"role", "revoke-permission", "reader", "pre", "prf"},
		{"role", "revoke-permission", "writer", "a", "b"},
		{"role", "revoke-permission", "writer", "z", "--from-key"},
		{"role", "revoke-permission", "writer", "a", "b", "c"},
		{"role", "revoke-permission", "reader", "nope"},
		{"role", "revoke-permission", "reader", "", "--from-key"},
		{"role", "revoke-permission", "nope", "foo"},
	}
	for i, c := range cases {
		for _, w := range authFormatsFor(i) {
			args := append([]string{"-w", w}, c...)
			t.Run(authName(args), func(t *testing.T) { s.compareMut(t, args, s.opts(""), false) })
		}
	}
	// What the grants above leave behind, as role get and user get --detail show it.
	// The grants are made once with each binary from the same fixture and the stored ranges
	// compared (the --prefix and --from-key ends are computed by the client); role get and user
	// get then read the reference's grants.
	t.Run("get_after_grants", func(t *testing.T) {
		grant := func(bin string) string {
			authFixture(t, s, false)
			for _, c := range cases {
				if c[1] == "grant-permission" && c[2] != "nope" && c[4] != "z" {
					authRunWith(t, s, bin, c...)
				}
			}
			authRunWith(t, s, bin, "user", "grant-role", "alice", "empty")
			return difftest.StateDump(t, s.cli, difftest.DumpOpts{NoKeys: true})
		}
		ours := grant(difftest.OurBinary(t))
		ref := grant(difftest.RefBinary(t))
		difftest.AssertSameDump(t, ref, ours, "the grants")
		for _, w := range authFormats {
			for _, hex := range []string{"--hex=false", "--hex"} {
				s.compare(t, []string{"-w", w, hex, "role", "get", "empty"}, s.opts(""))
				// The root role's implicit permission, ["", "\x00"): open ended, no prefix note.
				s.compare(t, []string{"-w", w, hex, "role", "get", "root"}, s.opts(""))
				s.compare(t, []string{"-w", w, hex, "user", "get", "alice", "--detail"}, s.opts(""))
			}
		}
	})
	t.Run("list_empty", func(t *testing.T) {
		authFixture(t, s, false)
		for _, r := range []string{"root", "reader", "writer", "empty"} {
			authRun(t, s, "role", "delete", r)
		}
		for _, w := range authFormats {
			s.compare(t, []string{"-w", w, "role", "list"}, s.opts(""))
			s.compare(t, []string{"-w", w, "user", "get", "alice", "--detail"}, s.opts(""))
		}
		authFixture(t, s, false)
	})
}

// authRun runs our etcdctl against the site for set-up, failing the test if it fails.
func authRun(t *testing.T, s *authSite, args ...string) {
	t.Helper()
	authRunWith(t, s, difftest.OurBinary(t), args...)
}

// authRunWith is authRun with the given binary.
func authRunWith(t *testing.T, s *authSite, bin string, args ...string) {
	t.Helper()
	r := difftest.Run(t, bin, append(append([]string{}, s.args...), args...), s.opts(""))
	if r.Code != 0 {
		t.Fatalf("%q: exit %d: %s", args, r.Code, r.Stderr)
	}
}
