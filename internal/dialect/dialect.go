// Package dialect describes the upstream etcdctl releases this binary can stand in for (3.5, 3.6
// and the default 3.7) and how they differ, as data: version lines, help layout, table style,
// which verbs and flags exist, and the columns of the tables that changed. The dialect is chosen
// once per run, before the command tree is built, from the --compat flag, ETCDCTL_COMPAT or the
// program name (etcdctl-3.5, etcdctl-3.6).
package dialect

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Dialect is one upstream release's behaviour.
type Dialect struct {
	// Name is the switch value: "3.5", "3.6" or "3.7".
	Name string
	// Version and APIVersion are what `etcdctl version` prints.
	Version    string
	APIVersion string
	// LegacyHelp selects the pre-3.7 help layout (NAME/USAGE/OPTIONS/GLOBAL OPTIONS, flattened
	// command list, tabwriter columns) with its indent ("\t" in 3.5, two spaces in 3.6).
	LegacyHelp   bool
	LegacyIndent string
	// APIVersionBlankLines is how many empty lines follow the API VERSION block (3.5: two).
	APIVersionBlankLines int
	// DoubleErrorLine: flag and unknown-command errors print the Error line a second time (3.5).
	DoubleErrorLine bool
	// ASCIITables draws `+---+` tables (3.5, 3.6) instead of Unicode boxes (3.7).
	ASCIITables bool
	// HashKVRevision: `endpoint hashkv` shows the hash revision (3.6+).
	HashKVRevision bool
	// StatusLayout: which `endpoint status` layout (StatusLayout35: 10 columns and 3.5's fields;
	// StatusLayout36: 16 columns, 3.6 and 3.7).
	StatusLayout int
	// MemberAddNoLearnerWord: `member add --learner` says "added to", not "added as learner to" (3.5).
	MemberAddNoLearnerWord bool
	// DefragNoTook: defrag reports members without the time each took (3.5).
	DefragNoTook bool
	// SnapshotNoServerVersion: `snapshot save` prints no "Server version" line (3.5).
	SnapshotNoServerVersion bool
	// WatchJSONNoCancelReason: watch responses in JSON have no "CancelReason", and a canceled
	// one shows its empty events as [] (3.5, 3.6).
	WatchJSONNoCancelReason bool
	// RolePrefixEmptyKey: `role get` notes " (prefix )" on an empty key's open range too (the
	// root role's ["", "\x00")) (3.5).
	RolePrefixEmptyKey bool
	// GogoText: protobuf text (alarm list) as gogo rendered it: "a:1 b:2 " (3.5, 3.6).
	GogoText bool
	// LeaseListBadConnection: a failed `lease list` shows the bare error and exits 2 (3.5, 3.6).
	LeaseListBadConnection bool
	// FieldsIgnoreHex: --hex does not change the fields format (3.5).
	FieldsIgnoreHex bool
	// HexClientURLSKey: `member list -w json --hex` names the client URLs "clientURLS" (3.5).
	HexClientURLSKey bool
	// MemberHexListOnly: of the member verbs' JSON, only `member list` shows IDs in hex with
	// --hex; add, remove, update and promote print them as numbers (3.5, 3.6).
	MemberHexListOnly bool
	// DelRangeNotice, when set, is what del (and a txn's del line) prints before deleting an
	// explicit range without --range, instead of 3.7's warning, and nothing waits (3.5).
	DelRangeNotice string
	// DebugDumpSkips are the verbs ("endpoint health") that print no settings with --debug (3.5).
	DebugDumpSkips []string
	// FieldsZeroRevision: the fields format prints a header's "Revision" even when it is 0 (3.5).
	FieldsZeroRevision bool
	// SkipVerifyNeedsTLS: --insecure-skip-tls-verify alone does not turn TLS on; only a CA,
	// certificate or key file or --insecure-transport=false do (3.5).
	SkipVerifyNeedsTLS bool
	// ReadsAPIVar: ETCDCTL_API picks the client ("2" is the old v2 one, other values than "3"
	// are refused) (3.5).
	ReadsAPIVar bool

	// Removed lists command paths ("options", "downgrade", "get --stream") that do not exist
	// in this release: verbs are taken out of the tree, flags out of their command.
	Removed []string
	// Hidden lists flags of ours ("--context", "defrag --rolling") that stay usable but
	// are left out of this release's help pages.
	Hidden []string
	// Short and Long override a command's description ("lease" -> "Lease related commands").
	Short   map[string]string
	Long    map[string]string
	Example map[string]string
	// ErrorText maps an error text of ours (3.7's) to this release's wording.
	ErrorText map[string]string
	// FlagUsage overrides a flag's description ("check perf --load" -> text).
	FlagUsage map[string]string
}

// NoDebugDump reports whether the verb at path ("etcdctl endpoint health", the program name
// first) prints no settings with --debug in this release.
func (d *Dialect) NoDebugDump(path string) bool {
	_, verb, _ := strings.Cut(path, " ")
	return contains(d.DebugDumpSkips, verb)
}

// Names are the accepted switch values, oldest first.
func Names() []string { return []string{"3.5", "3.6", "3.7"} }

// Default is the name of the default dialect.
const Default = "3.7"

// EnvVar is the environment variable of the switch; Flag is its (hidden) global flag.
const (
	EnvVar = "ETCDCTL_COMPAT"
	Flag   = "compat"
)

// Get returns the dialect called name, or an error naming the accepted values.
func Get(name string) (*Dialect, error) {
	switch name {
	case "3.7":
		return v37(), nil
	case "3.6":
		return v36(), nil
	case "3.5":
		return v35(), nil
	}
	return nil, fmt.Errorf("unsupported compat version %q (accepted: %s)", name, strings.Join(Names(), ", "))
}

// FromProgram is the dialect a program name asks for: a name ending in -3.5 or -3.6 (after
// any extension is dropped), or "" for the default.
func FromProgram(prog string) string {
	base := filepath.Base(prog)
	base = strings.TrimSuffix(base, ".exe")
	for _, n := range Names() {
		if strings.HasSuffix(base, "-"+n) {
			return n
		}
	}
	return ""
}

// Select chooses the dialect of a run from the arguments (--compat X, --compat=X), the
// environment (ETCDCTL_COMPAT) and the program name, in that order. The arguments are only
// pre-scanned (cobra parses them later); scanning stops at "--".
func Select(prog string, args, environ []string) (*Dialect, error) {
	name := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if v, ok := strings.CutPrefix(a, "--"+Flag+"="); ok {
			name = v
			break
		}
		if a == "--"+Flag {
			if i+1 < len(args) {
				name = args[i+1]
			}
			break
		}
	}
	if name == "" {
		for i := len(environ) - 1; i >= 0; i-- {
			if v, ok := strings.CutPrefix(environ[i], EnvVar+"="); ok {
				name = v
				break
			}
		}
	}
	if name == "" {
		name = FromProgram(prog)
	}
	if name == "" {
		name = Default
	}
	return Get(name)
}

// IsRemoved reports whether path (a command path without the root, "get", "snapshot restore",
// or a flag "get --stream") does not exist in d.
func (d *Dialect) IsRemoved(path string) bool { return contains(d.Removed, path) }

// IsHidden reports whether the flag path ("--context", "defrag --rolling") is left out of help.
func (d *Dialect) IsHidden(path string) bool { return contains(d.Hidden, path) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Endpoint status layouts.
const (
	StatusLayout35 = 35
	StatusLayout36 = 36
)

func v37() *Dialect {
	return &Dialect{Name: "3.7", Version: "3.7.3", APIVersion: "3.7", HashKVRevision: true, StatusLayout: StatusLayout36,
		Removed: legacy35Only()}
}

// legacy35Only are the verbs and flags that only 3.5 has (3.6 moved them to etcdutl).
func legacy35Only() []string {
	return []string{"snapshot restore", "snapshot status", "defrag --data-dir"}
}

// legacyHidden are the beyond-upstream flags that stay usable in the legacy dialects but are
// not shown in their help.
func legacyHidden() []string {
	return []string{"--context", "defrag --rolling", "defrag --wait-between"}
}

// legacyGroups are the descriptions the legacy dialects gave the command groups (3.7 moved
// them to the long description and points to --help in the short one).
func legacyGroups() map[string]string {
	return map[string]string{
		"alarm":     "Alarm related commands",
		"auth":      "Enable or disable authentication",
		"check":     "commands for checking properties of the etcd cluster",
		"downgrade": "Downgrade related commands",
		"endpoint":  "Endpoint related commands",
		"lease":     "Lease related commands",
		"member":    "Membership related commands",
		"role":      "Role related commands",
		"user":      "User related commands",
	}
}

func v36() *Dialect {
	return &Dialect{
		Name: "3.6", Version: "3.6.16", APIVersion: "3.6",
		LegacyHelp: true, LegacyIndent: "  ", APIVersionBlankLines: 1,
		ASCIITables: true, HashKVRevision: true, StatusLayout: StatusLayout36, LeaseListBadConnection: true,
		WatchJSONNoCancelReason: true, GogoText: true, MemberHexListOnly: true,
		Removed: append([]string{"options", "--auth-jwt-token", "get --stream"}, legacy35Only()...),
		Hidden:  legacyHidden(),
		Short:   legacyGroups(),
		Long:    legacyGroupsLong(),
		Example: map[string]string{
			"snapshot":      snapshotExample36,
			"snapshot save": snapshotExample36,
		},
	}
}

func v35() *Dialect {
	return &Dialect{
		Name: "3.5", Version: "3.5.35", APIVersion: "3.5",
		LegacyHelp: true, LegacyIndent: "\t", APIVersionBlankLines: 2, DoubleErrorLine: true,
		ASCIITables: true, StatusLayout: StatusLayout35, FieldsZeroRevision: true,
		FieldsIgnoreHex: true, HexClientURLSKey: true, LeaseListBadConnection: true, MemberAddNoLearnerWord: true,
		SnapshotNoServerVersion: true, DefragNoTook: true, SkipVerifyNeedsTLS: true, ReadsAPIVar: true,
		WatchJSONNoCancelReason: true, GogoText: true, MemberHexListOnly: true, RolePrefixEmptyKey: true,
		DebugDumpSkips: []string{"endpoint health"},
		DelRangeNotice: "In etcd v3.6, the operation will be suspended for a few seconds to provide the user time to verify range.",
		Removed: []string{"options", "completion", "downgrade", "--auth-jwt-token", "--max-recv-bytes",
			"--max-request-bytes", "get --stream", "get --max-create-rev", "get --max-mod-rev",
			"get --min-create-rev", "get --min-mod-rev", "make-mirror --max-txn-ops", "make-mirror --rev",
			"member list --consistency"},
		Hidden: legacyHidden(),
		Short:  legacyGroups(),
		Long:   legacyGroupsLong35(),
		Example: map[string]string{
			"snapshot":      "",
			"snapshot save": "",
		},
		ErrorText: map[string]string{
			"snapshot save expects one argument <filename>": "snapshot save expects one argument",
		},
		FlagUsage: map[string]string{
			"check perf --load":     "The performance check's workload model. Accepted workloads: s(small), m(medium), l(large), xl(xLarge)",
			"endpoint hashkv --rev": "maximum revision to hash (default: all revisions)",
		},
	}
}

// legacyGroupsLong clears the long description of the command groups (legacy releases had none).
func legacyGroupsLong() map[string]string {
	m := legacyGroups()
	for k := range m {
		m[k] = ""
	}
	return m
}

// legacyGroupsLong35 is legacyGroupsLong, and txn had no long description yet.
func legacyGroupsLong35() map[string]string {
	m := legacyGroupsLong()
	m["txn"] = ""
	return m
}

// snapshotExample36 is 3.6's example text of `snapshot save` (with its typo).
const snapshotExample36 = `  # Save snapshot to a given file
  etcdctl snapshot save /backup/etcd-snapshot.db

  # Get snapshot from given address and save it to file
  etcdctl snapshot save --endpoints=127.0.0.1:3000 /backup/etcd-snapshot.db

  # Get snapshot from given address with certificates
  etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/etcd/ca.crt --cert=/etc/etcd/etcd.crt --key=/etc/etcd/etcd.key snapshot save /backup/etcd-snapshot.db

  # Get snapshot wih certain user and password
  etcdctl --user=root --password=password123 snapshot save /backup/etcd-snapshot.db

  # Get snapshot from given address with timeout
  etcdctl --endpoints=https://127.0.0.1:2379 --dial-timeout=20s snapshot save /backup/etcd-snapshot.db

  # Save snapshot with desirable time format
  etcdctl snapshot save /mnt/backup/etcd/backup_$(date +%Y%m%d_%H%M%S).db`
