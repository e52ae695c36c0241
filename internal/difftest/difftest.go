// Package difftest runs our etcdctl and the reference etcdctl v3.7.3 (built by `make reference`)
// as processes with the same arguments, environment and stdin, and compares what scripts see:
// stdout bytes, the exit code and every stderr line that is not a JSON log line.
package difftest

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Update regenerates golden files from the reference binary (go test ./... -update).
var Update = flag.Bool("update", false, "regenerate golden files in testdata/ from the reference etcdctl")

// Result is what one run of a binary produced.
type Result struct {
	Stdout []byte
	Stderr []byte
	Code   int
	Took   time.Duration
}

// ErrLines are the stderr lines that are not upstream's JSON log noise.
func (r Result) ErrLines() []string {
	var out []string
	for _, l := range strings.Split(string(r.Stderr), "\n") {
		if l == "" || strings.HasPrefix(l, `{"level"`) || consoleLogRe.MatchString(l) {
			continue
		}
		out = append(out, l)
	}
	return out
}

// consoleLogRe matches a log line in zap's console form (`<time>\t<level>\t...`), which etcd's
// snapshot library writes in the 3.5 file verbs: log noise like the JSON lines.
var consoleLogRe = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[^\t]*\t(debug|info|warn|error)\t`)

// FirstErrLine is the first non-log stderr line ("" when there is none).
func (r Result) FirstErrLine() string {
	if l := r.ErrLines(); len(l) > 0 {
		return l[0]
	}
	return ""
}

// RepoRoot finds the module root (the folder with go.mod) above this source file.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// RefBinary is the reference etcdctl. Missing reference fails the test with how to build it,
// unless ETCDCTL_DIFFTEST_SKIP=1 asks to skip differential tests.
func RefBinary(t testing.TB) string {
	t.Helper()
	p := os.Getenv("ETCDCTL_REFERENCE")
	if p == "" {
		p = filepath.Join(RepoRoot(), ".reference", "bin", "etcdctl")
	}
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("ETCDCTL_DIFFTEST_SKIP") == "1" {
			t.Skipf("reference etcdctl missing at %s (ETCDCTL_DIFFTEST_SKIP=1)", p)
		}
		t.Fatalf("reference etcdctl missing at %s: run `make reference`", p)
	}
	return p
}

// RefBinaryAt is the reference etcdctl of another release (e.g. "v3.6.16"), built by
// `make reference` into .reference/<version>/bin.
func RefBinaryAt(t testing.TB, version string) string {
	t.Helper()
	p := filepath.Join(RepoRoot(), ".reference", version, "bin", "etcdctl")
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("ETCDCTL_DIFFTEST_SKIP") == "1" {
			t.Skipf("reference etcdctl %s missing at %s (ETCDCTL_DIFFTEST_SKIP=1)", version, p)
		}
		t.Fatalf("reference etcdctl %s missing at %s: run `make reference`", version, p)
	}
	return p
}

// refOf is the reference binary a run compares with: opts.Ref, or upstream v3.7.3.
func refOf(t testing.TB, opts Opts) string {
	if opts.Ref != "" {
		return opts.Ref
	}
	return RefBinary(t)
}

type built struct {
	once sync.Once
	path string
	err  error
}

var ours built

// OurBinary is our etcdctl: $ETCDCTL_OURS, or built once per test process into a temp dir.
func OurBinary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("ETCDCTL_OURS"); p != "" {
		return p
	}
	ours.once.Do(func() {
		dir, err := os.MkdirTemp("", "etcdctl-ours-")
		if err != nil {
			ours.err = err
			return
		}
		ours.path = filepath.Join(dir, "etcdctl")
		// The recipe `make build` uses.
		cmd := exec.Command(filepath.Join(RepoRoot(), "scripts", "build-etcdctl.sh"), ours.path)
		out, err := cmd.CombinedOutput()
		if err != nil {
			ours.err = &buildError{out: string(out), err: err}
		}
	})
	if ours.err != nil {
		t.Fatalf("building our etcdctl: %v", ours.err)
	}
	return ours.path
}

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

// Opts adjust a run.
type Opts struct {
	Env     []string      // extra environment, KEY=VALUE
	Stdin   string        // given on stdin
	Timeout time.Duration // kill after (default 30s)
	Dir     string        // working directory
	Ref     string        // the reference binary to compare with (default: upstream v3.7.3)

	// Every stderr line that is not a JSON log line is compared (per-endpoint errors, warnings).
	// A test that cannot do that says why in one of these (the exit code is still compared):
	OnlyFirstErrLine string // compare the first such line only
	NoErrLines       string // compare none of them
}

// Run runs bin with args. The environment is minimal (PATH, HOME, TMPDIR) plus opts.Env, so
// stray ETCDCTL_* variables of the developer's shell do not leak in.
func Run(t testing.TB, bin string, args []string, opts Opts) Result {
	t.Helper()
	timeout := opts.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	// XDG_CONFIG_HOME points nowhere so that a developer's own etcdctl contexts
	// (~/.config/etcdctl/config.yaml) never reach a test; upstream ignores the variable.
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir(),
		"XDG_CONFIG_HOME=" + filepath.Join(os.TempDir(), "difftest-no-config")}, opts.Env...)
	cmd.Stdin = strings.NewReader(opts.Stdin)
	cmd.Dir = opts.Dir
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	start := time.Now()
	err := cmd.Run()
	res := Result{Stdout: so.Bytes(), Stderr: se.Bytes(), Took: time.Since(start)}
	if ee, ok := err.(*exec.ExitError); ok {
		res.Code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running %s %v: %v", bin, args, err)
	}
	return res
}

// Pair is one command run by both binaries.
type Pair struct {
	Ours, Ref Result

	// The stderr opt-outs of the Opts the pair ran with (see Opts).
	OnlyFirstErrLine, NoErrLines string
}

// withOpts records opts' stderr opt-outs in p.
func (p Pair) withOpts(o Opts) Pair {
	p.OnlyFirstErrLine, p.NoErrLines = o.OnlyFirstErrLine, o.NoErrLines
	return p
}

// Both runs args with our binary and the reference, ours first.
func Both(t testing.TB, args []string, opts Opts) Pair {
	t.Helper()
	o := Run(t, OurBinary(t), args, opts)
	r := Run(t, refOf(t, opts), args, opts)
	return Pair{Ours: o, Ref: r}.withOpts(opts)
}

// Normalizer rewrites output that legitimately differs between runs (timings, for instance).
type Normalizer func([]byte) []byte

// Compare runs args with both binaries and asserts identical stdout (after norm, if any), exit
// code and stderr lines (see Opts). It returns the pair for further checks.
func Compare(t testing.TB, args []string, opts Opts, norm ...Normalizer) Pair {
	t.Helper()
	p := Both(t, args, opts)
	AssertSame(t, args, p, norm...)
	return p
}

// AssertSame asserts that the two results match as Compare does.
func AssertSame(t testing.TB, args []string, p Pair, norm ...Normalizer) {
	t.Helper()
	o, r := p.Ours.Stdout, p.Ref.Stdout
	for _, n := range norm {
		o, r = n(o), n(r)
	}
	assert.Equal(t, string(r), string(o), "stdout of %q", args)
	assert.Equal(t, p.Ref.Code, p.Ours.Code, "exit code of %q (stderr ours %q, ref %q)", args, p.Ours.FirstErrLine(), p.Ref.FirstErrLine())
	switch {
	case p.NoErrLines != "":
	case p.OnlyFirstErrLine != "":
		assert.Equal(t, p.Ref.FirstErrLine(), p.Ours.FirstErrLine(), "first stderr line of %q", args)
	default:
		assert.Equal(t, strings.Join(p.Ref.ErrLines(), "\n"), strings.Join(p.Ours.ErrLines(), "\n"),
			"stderr lines of %q (not JSON logs; a test that cannot compare them all sets Opts.OnlyFirstErrLine or NoErrLines with the reason)", args)
	}
}

// Golden compares got with testdata/<name>.golden (relative to the test's package) and reports
// whether they match. With -update the file is first rewritten from want (typically the reference
// binary's output).
func Golden(t testing.TB, name string, got []byte, want func() []byte) bool {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, want(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	exp, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file %s: %v (regenerate with -update)", path, err)
	}
	return assert.Equal(t, string(exp), string(got), "golden %s (regenerate with -update)", path)
}

// SkipOrFail skips the test for a missing tool or facility, except in CI (the CI variable set),
// where a missing tool is a broken set-up and the test fails instead (scripts/test-deps.sh
// installs what the tests need).
func SkipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set, so this is a failure, not a skip: "+format, args...)
	}
	t.Skipf(format, args...)
}
