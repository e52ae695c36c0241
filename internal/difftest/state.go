package difftest

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// DumpOpts choose what StateDump reads.
type DumpOpts struct {
	NoKeys    bool   // leave out the key space (clusters with many keys the test does not change)
	KeyPrefix string // only keys under this prefix ("" = all keys)
	NoAuth    bool   // leave out users and roles (a client without root rights cannot read them)
	// Members includes the members: their number, and each one's name, learner flag, peer and
	// client URLs. A started member's URLs (those of a cluster's own members, on ports of their
	// own) show as <peer-NAME-i> and <client-NAME-i>, as MaskHosts shows them; a member never
	// started (no name yet) keeps its URLs, which are what member add/update gave it.
	Members bool
	// Base, when not 0, is the store's revision just before the command ran: revisions after it
	// are shown as "base+N", so that one cluster reset between two binaries' runs (its revision
	// moved on meanwhile) gives the same dump. Twin clusters leave it 0: revisions are compared as
	// they are.
	Base int64
}

// StateDump is what a cluster holds, read through an administrator client, as text that two
// clusters given the same commands must agree on byte for byte:
//
//   - the auth switch, every user with its roles, every role with its permissions (type, key and
//     range end, quoted, so "--prefix" and "--from-key" ends are visible);
//   - every key with its value, version, create and mod revision (relative to opts.Base when
//     set), and its lease as the lease's granted TTL and attached keys (lease IDs are random);
//   - every lease: granted TTL and attached keys;
//   - with opts.Members, how many members there are and each one (see DumpOpts.Members), in
//     sorted order (member IDs are random).
//
// Compare two dumps with assert.Equal (reference first).
func StateDump(t testing.TB, cli *clientv3.Client, opts DumpOpts) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var b strings.Builder
	fail := func(what string, err error) {
		t.Helper()
		t.Fatalf("state dump: %s: %v", what, err)
	}
	if !opts.NoAuth {
		st, err := cli.AuthStatus(ctx)
		if err != nil {
			fail("auth status", err)
		}
		fmt.Fprintf(&b, "auth enabled=%v\n", st.Enabled)
		users, err := cli.UserList(ctx)
		if err != nil {
			fail("user list", err)
		}
		for _, u := range users.Users {
			g, err := cli.UserGet(ctx, u)
			if err != nil {
				fail("user get "+u, err)
			}
			roles := append([]string{}, g.Roles...)
			sort.Strings(roles)
			fmt.Fprintf(&b, "user %q roles=%q\n", u, roles)
		}
		roles, err := cli.RoleList(ctx)
		if err != nil {
			fail("role list", err)
		}
		for _, r := range roles.Roles {
			g, err := cli.RoleGet(ctx, r)
			if err != nil {
				fail("role get "+r, err)
			}
			fmt.Fprintf(&b, "role %q\n", r)
			for _, p := range g.Perm {
				fmt.Fprintf(&b, "  perm %s key=%q end=%q\n", p.PermType, p.Key, p.RangeEnd)
			}
		}
	}
	leaseName := map[clientv3.LeaseID]string{}
	leases, err := cli.Leases(ctx)
	if err != nil {
		fail("leases", err)
	}
	var lines []string
	for _, l := range leases.Leases {
		ttl, err := cli.TimeToLive(ctx, l.ID, clientv3.WithAttachedKeys())
		if err != nil {
			fail("lease time-to-live", err)
		}
		keys := make([]string, 0, len(ttl.Keys))
		for _, k := range ttl.Keys {
			keys = append(keys, string(k))
		}
		sort.Strings(keys)
		name := fmt.Sprintf("lease(granted=%d keys=%q)", ttl.GrantedTTL, keys)
		if ttl.TTL < 0 {
			name += " expired"
		}
		leaseName[l.ID] = name
		lines = append(lines, name)
	}
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Fprintf(&b, "%s\n", l)
	}
	if !opts.NoKeys {
		ropts := []clientv3.OpOption{clientv3.WithPrefix()}
		key := opts.KeyPrefix
		if key == "" {
			key, ropts = "\x00", []clientv3.OpOption{clientv3.WithFromKey()}
		}
		resp, err := cli.Get(ctx, key, ropts...)
		if err != nil {
			fail("get", err)
		}
		rev := func(r int64) string {
			if opts.Base != 0 && r > opts.Base {
				return fmt.Sprintf("base+%d", r-opts.Base)
			}
			return fmt.Sprint(r)
		}
		for _, kv := range resp.Kvs {
			lease := "-"
			if kv.Lease != 0 {
				lease = leaseName[clientv3.LeaseID(kv.Lease)]
				if lease == "" {
					lease = "unknown"
				}
			}
			fmt.Fprintf(&b, "key %q value=%q version=%d create=%s mod=%s lease=%s\n",
				kv.Key, kv.Value, kv.Version, rev(kv.CreateRevision), rev(kv.ModRevision), lease)
		}
	}
	if opts.Members {
		resp, err := cli.MemberList(ctx)
		if err != nil {
			fail("member list", err)
		}
		mask := func(name, kind string, urls []string) []string {
			if name == "" {
				return urls
			}
			out := make([]string, len(urls))
			for i := range urls {
				out[i] = fmt.Sprintf("<%s-%s-%d>", kind, name, i)
			}
			return out
		}
		var ms []string
		for _, m := range resp.Members {
			ms = append(ms, fmt.Sprintf("member %q learner=%v peers=%q clients=%q", m.Name, m.IsLearner,
				mask(m.Name, "peer", m.PeerURLs), mask(m.Name, "client", m.ClientURLs)))
		}
		sort.Strings(ms)
		fmt.Fprintf(&b, "members=%d\n", len(ms))
		for _, m := range ms {
			fmt.Fprintf(&b, "%s\n", m)
		}
	}
	return b.String()
}

// Dumps are the state of both twins (A, ours; B, the reference).
func (tw *Twin) Dumps(t testing.TB, opts DumpOpts) (ours, ref string) {
	t.Helper()
	return StateDump(t, tw.cliA, opts), StateDump(t, tw.cliB, opts)
}

// AssertSameState compares the twins' states (see StateDump) after a mutating command.
func (tw *Twin) AssertSameState(t testing.TB, opts DumpOpts, what string) bool {
	t.Helper()
	ours, ref := tw.Dumps(t, opts)
	return AssertSameDump(t, ref, ours, what)
}

// lineDiff lists the lines only in a (-) and only in b (+), counting repeats.
func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	only := func(x, y []string, sign string) []string {
		n := map[string]int{}
		for _, l := range y {
			n[l]++
		}
		var out []string
		for _, l := range x {
			if n[l] > 0 {
				n[l]--
				continue
			}
			out = append(out, sign+l)
		}
		return out
	}
	return strings.Join(append(only(al, bl, "- "), only(bl, al, "+ ")...), "\n")
}

// AssertSameDump compares two dumps (reference first) and shows the differing lines.
func AssertSameDump(t testing.TB, ref, ours, what string) bool {
	t.Helper()
	if ours != ref {
		t.Errorf("cluster state after %s differs (- reference, + ours):\n%s", what, lineDiff(ref, ours))
		return false
	}
	return true
}

// Clients are the set-up clients of A (ours) and B (the reference).
func (tw *Twin) Clients() (a, b *clientv3.Client) { return tw.cliA, tw.cliB }

// MaskKey replaces every spelling of key in out (raw, quoted, base64 as the json format prints
// it, \x-escaped as --hex prints it) with <name>: for keys that embed a random lease ID (lock,
// elect). Nothing else is touched.
func MaskKey(out, key []byte, name string) []byte {
	var hexEsc strings.Builder
	for _, c := range key {
		fmt.Fprintf(&hexEsc, "\\x%02x", c)
	}
	for _, r := range []struct{ from, to string }{
		{base64.StdEncoding.EncodeToString(key), "<" + name + "-b64>"},
		{hexEsc.String(), "<" + name + "-hex>"},
		{string(key), "<" + name + ">"},
	} {
		out = bytes.ReplaceAll(out, []byte(r.from), []byte(r.to))
	}
	return out
}

// MaskLeaseID replaces a lease ID in out (16-digit and short hexadecimal, decimal) with <lease>.
func MaskLeaseID(out []byte, id int64) []byte {
	for _, r := range []struct{ from, to string }{
		{fmt.Sprintf("%016x", id), "<lease>"},
		{fmt.Sprintf("%x", id), "<lease-hex>"},
		{fmt.Sprint(id), "<lease-dec>"},
	} {
		out = bytes.ReplaceAll(out, []byte(r.from), []byte(r.to))
	}
	return out
}
