// Package snapshot35 runs etcdctl 3.5's file verbs (`snapshot restore`, `snapshot status`,
// `defrag --data-dir`) in a helper process (cmd/etcdctl-snapshot35) built on etcd's own library
// (go.etcd.io/etcd/etcdutl/v3: its snapshot package, and DefragData). The library links most of etcd's server, whose package
// initialisers cost ~5 ms at every start; in a helper they are paid only when a 3.5 file verb
// runs, never on etcdctl's own start-up. This package holds only the request and
// response and how to find and run the helper; it imports nothing heavy.
package snapshot35

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
)

// HelperName is the helper's executable name; HelperEnv overrides where it is.
const (
	HelperName = "etcdctl-snapshot35"
	HelperEnv  = "ETCDCTL_SNAPSHOT35_HELPER"
)

// Request asks the helper for one operation: "restore", "status" or "defrag".
type Request struct {
	Op           string
	SnapshotPath string

	// restore
	Name                string
	OutputDataDir       string
	OutputWALDir        string
	PeerURLs            []string
	InitialCluster      string
	InitialClusterToken string
	SkipHashCheck       bool
	InitialMmapSize     uint64
	RevisionBump        uint64
	MarkCompacted       bool

	// defrag (of a data directory not in use)
	DataDir string
}

// Response is the helper's answer: the error text, or the status of a snapshot file.
type Response struct {
	Error     string `json:",omitempty"`
	Hash      uint32
	Revision  int64
	TotalKey  int // every entry of every bucket, as 3.5 counted "total keys"
	TotalSize int64
}

// ErrNoHelper is returned when the helper executable cannot be found.
var errNoHelper = errors.New(HelperName + " not found (install it beside etcdctl: make build)")

// FindHelper locates the helper: $ETCDCTL_SNAPSHOT35_HELPER (from getenv), beside the running
// executable, embedded in it (see embed.go), then on PATH.
func FindHelper(getenv func(string) string) (string, error) {
	if p := getenv(HelperEnv); p != "" {
		return p, nil
	}
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), HelperName)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	if p, ok := embeddedHelper(); ok {
		return p, nil
	}
	if p, err := exec.LookPath(HelperName); err == nil {
		return p, nil
	}
	return "", errNoHelper
}

// Run sends req to the helper at path; its logs go to logs. A failed operation comes back as
// an error with the library's text.
func Run(path string, req Request, logs io.Writer) (*Response, error) {
	in, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(path)
	cmd.Stdin = bytes.NewReader(in)
	cmd.Stderr = logs
	out, err := cmd.Output()
	var resp Response
	if jerr := json.Unmarshal(out, &resp); jerr != nil {
		if err != nil {
			return nil, fmt.Errorf("%s: %w", HelperName, err)
		}
		return nil, fmt.Errorf("%s: %w", HelperName, jerr)
	}
	if resp.Error != "" {
		return nil, errors.New(resp.Error)
	}
	return &resp, nil
}
