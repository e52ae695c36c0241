package commands_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// Every user verb changes the cluster the same way and prints the same bytes as upstream, in
// every output format; passwords come from arguments, flags, the prompt or stdin.
func TestUserDifferential(t *testing.T) {
	s := authStart(t, localcluster.Options{}, nil)
	cases := []struct {
		args  []string
		stdin string
	}{
		{args: []string{"user", "add", "dave:pw"}},
		{args: []string{"user", "add", "dave:"}},
		{args: []string{"user", "add", "dave:pw:x"}},
		{args: []string{"user", "add", "dave", "--new-user-password", "pw"}},
		{args: []string{"user", "add", "dave:pw", "--new-user-password", "other"}},
		{args: []string{"user", "add", "dave", "--no-password"}},
		{args: []string{"user", "add", "dave:pw", "--no-password"}},
		{args: []string{"user", "add", "dave", "--no-password", "--new-user-password", "x"}},
		{args: []string{"user", "add", "", "--new-user-password", "x"}},
		{args: []string{"user", "add", "", "--interactive=false"}},
		{args: []string{"user", "add", "alice:x"}},
		{args: []string{"user", "add", "dave"}, stdin: "pw\npw\n"},
		{args: []string{"user", "add", "dave"}, stdin: " pw 1 \r\npw 1\n"},
		{args: []string{"user", "add", "dave"}, stdin: "pw\n"},
		{args: []string{"user", "add", "dave"}, stdin: "\n"},
		{args: []string{"user", "add", "dave", "--interactive=false"}, stdin: "pw extra\nmore\n"},
		{args: []string{"user", "add", "dave", "--interactive=false"}},
		{args: []string{"user", "delete", "alice"}},
		{args: []string{"user", "delete", "nope"}},
		{args: []string{"user", "passwd", "alice"}, stdin: "new\nnew\n"},
		{args: []string{"user", "passwd", "alice"}, stdin: "new\nother\n"},
		{args: []string{"user", "passwd", "alice", "--interactive=false"}, stdin: "new\n"},
		{args: []string{"user", "passwd", "alice", "--interactive=false"}},
		{args: []string{"user", "passwd", "nope", "--interactive=false"}, stdin: "new\n"},
		{args: []string{"user", "grant-role", "alice", "writer"}},
		{args: []string{"user", "grant-role", "alice", "reader"}},
		{args: []string{"user", "grant-role", "alice", "nope"}},
		{args: []string{"user", "grant-role", "nope", "reader"}},
		{args: []string{"user", "revoke-role", "bob", "writer"}},
		{args: []string{"user", "revoke-role", "alice", "writer"}},
		{args: []string{"user", "revoke-role", "nope", "writer"}},
	}
	for i, c := range cases {
		for _, w := range authFormatsFor(i) {
			args := append([]string{"-w", w}, c.args...)
			t.Run(authName(args), func(t *testing.T) {
				s.compareMut(t, args, s.opts(c.stdin), false)
			})
		}
	}
	// The cluster really holds what the command asked for (not just the same output).
	t.Run("effects", func(t *testing.T) {
		authFixture(t, s, false)
		run := func(stdin string, args ...string) difftest.Result {
			return difftest.Run(t, difftest.OurBinary(t), args, s.opts(stdin))
		}
		require.Equal(t, 0, run(" secret one \n secret one \n", "user", "add", "erin").Code)
		require.Equal(t, 0, run("", "user", "grant-role", "erin", "root").Code)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err := s.cli.AuthEnable(ctx)
		require.NoError(t, err)
		r := run("", "--user", "erin:secret one", "user", "list")
		assert.Equal(t, 0, r.Code, "%s", r.Stderr)
		assert.Equal(t, "alice\nbob\ncarol\nerin\nroot\n", string(r.Stdout))
		require.Equal(t, 0, run("first second\n", "--user", "root:rootpw", "user", "passwd", "erin", "--interactive=false").Code)
		assert.Equal(t, 0, run("", "--user", "erin:first", "auth", "status").Code)
		authFixture(t, s, false)
	})
}

// userPty opens a pseudo-terminal pair (skipping the test where there is none).
func userPty(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlockpt: %v", err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Skipf("ptsname: %v", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open pts: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	go io.Copy(io.Discard, m) // the terminal's echo, if any
	return m, s
}

// userRunTTY runs bin with stdin on a terminal fed with typed, and stdout and stderr on pipes.
func userRunTTY(t *testing.T, bin string, args []string, env []string, typed string) difftest.Result {
	t.Helper()
	m, s := userPty(t)
	if _, err := m.WriteString(typed); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, env...)
	var so, se bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = s, &so, &se
	err := cmd.Run()
	r := difftest.Result{Stdout: so.Bytes(), Stderr: se.Bytes()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.Code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return r
}

// Passwords typed at a terminal: the prompts go to stdout like upstream's, nothing typed is
// echoed, and the answers are used.
func TestUserPromptTerminal(t *testing.T) {
	s := authStart(t, localcluster.Options{}, nil)
	cases := []struct {
		args  []string
		typed string
		code  int
	}{
		{[]string{"--user", "root", "user", "list"}, "rootpw\n", 0},
		{[]string{"--user", "root", "user", "list"}, "wrong\n", 2},
		{[]string{"--user", "root:rootpw", "user", "add", "dave"}, "pw\npw\n", 0},
		{[]string{"--user", "root:rootpw", "user", "add", "dave"}, "pw\nother\n", 128},
		{[]string{"--user", "root:rootpw", "user", "passwd", "alice"}, "typed-secret\ntyped-secret\n", 0},
	}
	for _, c := range cases {
		t.Run(authName(c.args), func(t *testing.T) {
			var res []difftest.Result
			for _, bin := range []string{difftest.OurBinary(t), difftest.RefBinary(t)} {
				authFixture(t, s, true)
				res = append(res, userRunTTY(t, bin, c.args, s.env, c.typed))
			}
			p := difftest.Pair{Ours: res[0], Ref: res[1]}
			authAssertSame(t, c.args, p)
			assert.Equal(t, c.code, p.Ours.Code, "%s", p.Ours.Stderr)
			assert.NotContains(t, string(p.Ours.Stdout)+string(p.Ours.Stderr), "typed-secret")
		})
	}
}
