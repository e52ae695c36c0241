package snapshot35

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"os"
	"path/filepath"
)

// helperFS holds the helper when `make build` put it in embedded/ (read-only data: it costs
// nothing at start-up, the pages are read only when a 3.5 file verb runs).
//
//go:embed all:embedded
var helperFS embed.FS

// embeddedHelper writes the embedded helper, if any, to the user's cache (once per helper
// build: the file name carries its hash) and returns its path.
func embeddedHelper() (string, bool) {
	b, err := helperFS.ReadFile("embedded/" + HelperName)
	if err != nil || len(b) == 0 {
		return "", false
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	sum := sha256.Sum256(b)
	dir := filepath.Join(cache, "etcdctl", "helper-"+hex.EncodeToString(sum[:8]))
	path := filepath.Join(dir, HelperName)
	if have, err := os.ReadFile(path); err == nil && bytes.Equal(have, b) {
		return path, true
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", false
	}
	tmp, err := os.CreateTemp(dir, HelperName+".*")
	if err != nil {
		return "", false
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Chmod(tmp.Name(), 0o755) != nil || os.Rename(tmp.Name(), path) != nil {
		os.Remove(tmp.Name())
		return "", false
	}
	return path, true
}
