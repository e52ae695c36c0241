package commands_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/flags"
	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/etcdctl-rewritten/etcdctl/internal/testcerts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.etcd.io/etcd/client/pkg/v3/transport"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
)

// tlsReasonLine is why TLS tests compare only the first stderr line: where a handshake fails,
// ours adds the reason on a second line after upstream's "context deadline exceeded"
// (docs/ARCHITECTURE.md, "How a command flows").
const tlsReasonLine = "ours adds a failed handshake's reason on a second line"

// tlsStart starts a one-member cluster serving clients over TLS only, with the CA's server
// certificate; clientAuth makes it require client certificates (and enables CN-based auth).
// The administrator client presents a certificate for "root".
func tlsStart(t *testing.T, certs *testcerts.Files, clientAuth bool, configure func(*embed.Config)) *authSite {
	t.Helper()
	rootCert, rootKey := certs.Client(t, "root", "root")
	s := authStart(t, localcluster.Options{ClientScheme: "https", Configure: func(i int, cfg *embed.Config) {
		cfg.ClientTLSInfo = transport.TLSInfo{CertFile: certs.ServerCert, KeyFile: certs.ServerKey}
		if clientAuth { // a trusted CA alone already makes etcd require client certificates
			cfg.ClientTLSInfo.TrustedCAFile, cfg.ClientTLSInfo.ClientCertAuth = certs.CAFile, true
		}
		if configure != nil {
			configure(cfg)
		}
	}}, func(cc *clientv3.Config) {
		info := transport.TLSInfo{CertFile: rootCert, KeyFile: rootKey, TrustedCAFile: certs.CAFile}
		tc, err := info.ClientConfig()
		require.NoError(t, err)
		cc.TLS = tc
	})
	return s
}

// tlsFailFast runs ours alone with a long command timeout and checks that a failed TLS handshake
// ends the command at once with upstream's first line and the reason on the next line.
func tlsFailFast(t *testing.T, s *authSite, args []string, reason string) {
	t.Helper()
	args = append(append([]string{"--command-timeout", "60s"}, s.args...), args...)
	r := difftest.Run(t, difftest.OurBinary(t), args, authEnvFor(args, s.opts("")))
	assert.Equal(t, 1, r.Code, "exit code of %q", args)
	lines := r.ErrLines()
	require.Len(t, lines, 2, "stderr of %q: %s", args, r.Stderr)
	assert.Equal(t, "Error: context deadline exceeded", lines[0])
	assert.Contains(t, lines[1], reason)
	assert.Less(t, r.Took, 20*time.Second, "a failed handshake must not wait for the command timeout")
}

// A cluster that only speaks TLS: CA files, skipping verification, https and bare endpoints, and
// the errors of missing or wrong files and certificates.
func TestTLSDifferential(t *testing.T) {
	certs := testcerts.New(t)
	other := testcerts.New(t)
	s := tlsStart(t, certs, false, nil)
	authFixture(t, s, false)
	aliceCert, aliceKey := certs.Client(t, "alice", "alice")
	garbage := filepath.Join(t.TempDir(), "garbage.pem")
	require.NoError(t, os.WriteFile(garbage, []byte("not a certificate\n"), 0o600))
	host := s.c.Hosts()[0]
	o := s.opts("")
	o.OnlyFirstErrLine = tlsReasonLine
	quick := "--command-timeout=1s" // the reference waits for it when the handshake fails

	cases := [][]string{
		{"--cacert", certs.CAFile, "auth", "status"},
		{"--cacert", certs.CAFile, "-w", "json", "user", "list"},
		{"--cacert", certs.CAFile, "role", "get", "reader"},
		{"--cacert", certs.CAFile, "--cert", aliceCert, "--key", aliceKey, "user", "get", "alice"},
		{"--endpoints", host, "--cacert", certs.CAFile, "auth", "status"},
		{"--endpoints", "https://localhost:" + strings.Split(host, ":")[1], "--cacert", certs.CAFile, "auth", "status"},
		{"--insecure-skip-tls-verify", "auth", "status"},
		{"--endpoints", host, "--insecure-skip-tls-verify", "auth", "status"},
		{"--endpoints", host, "--insecure-transport=false", "--insecure-skip-tls-verify", "auth", "status"},
		{"--cacert", filepath.Join(t.TempDir(), "missing.pem"), "auth", "status"},
		{"--cacert", certs.CAFile, "--cert", aliceCert, "auth", "status"},
		{"--cacert", certs.CAFile, "--key", aliceKey, "auth", "status"},
		{"--cacert", certs.CAFile, "--cert", aliceCert, "--key", certs.ServerKey, "auth", "status"},
		{"--cacert", certs.CAFile, "--cert", garbage, "--key", aliceKey, "auth", "status"},
		{"--cacert", certs.CAFile, "--cert", aliceCert, "--key", garbage, "auth", "status"},
		{"--cacert", certs.CAFile, "--cert", aliceCert, "--key", filepath.Join(t.TempDir(), "missing-key.pem"), "auth", "status"},
		{"--cacert", aliceKey, "auth", "status"},
		{"--cacert", certs.Dir, "user", "list"},
		{"--cacert", filepath.Join(t.TempDir(), "missing.pem"), "--cert", aliceCert, "--key", garbage, "user", "list"},
		{quick, "--cacert", other.CAFile, "auth", "status"},
		{quick, "--cacert", garbage, "auth", "status"},
		{quick, "auth", "status"},
		{quick, "--endpoints", host, "--insecure-transport=false", "auth", "status"},
		{quick, "--endpoints", "http://" + host, "--cacert", certs.CAFile, "auth", "status"},
		// with a user the failed handshake is a client that could not be made (exit 2)
		{quick, "--user", "root:rootpw", "auth", "status"},
		{quick, "--cacert", other.CAFile, "--user", "root:rootpw", "lease", "list"},
		{quick, "--cacert", other.CAFile, "--user", "root:rootpw", "endpoint", "status", "--cluster"},
	}
	for _, args := range cases {
		t.Run(authName(args), func(t *testing.T) { s.compare(t, args, o) })
	}
	t.Run("mutations", func(t *testing.T) {
		for _, args := range [][]string{
			{"--cacert", certs.CAFile, "user", "add", "dave:pw"},
			{"--cacert", certs.CAFile, "-w", "json", "role", "grant-permission", "empty", "read", "k", "--prefix"},
			{"--cacert", certs.CAFile, "auth", "enable"},
		} {
			s.compareMut(t, args, o, false)
		}
	})
	t.Run("fail_fast", func(t *testing.T) {
		tlsFailFast(t, s, []string{"--cacert", other.CAFile, "auth", "status"}, "certificate signed by unknown authority")
		tlsFailFast(t, s, []string{"--cacert", other.CAFile, "user", "list"}, "certificate signed by unknown authority")
		tlsFailFast(t, s, []string{"auth", "status"}, "certificate signed by unknown authority")
		tlsFailFast(t, s, []string{"--cacert", garbage, "role", "add", "x"}, "unknown authority")
		tlsFailFast(t, s, []string{"--endpoints", host, "--insecure-transport=false", "auth", "status"}, "unknown authority")
	})
}

// Mutual TLS with client-certificate (CN) authentication: the certificate's common name is the
// user when no password is given.
func TestTLSClientCertAuth(t *testing.T) {
	certs := testcerts.New(t)
	other := testcerts.New(t)
	s := tlsStart(t, certs, true, nil)
	authFixture(t, s, true)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := s.cli.Put(ctx, "foo", "bar")
	require.NoError(t, err)
	rootCert, rootKey := certs.Client(t, "root2", "root")
	aliceCert, aliceKey := certs.Client(t, "alice", "alice")
	ghostCert, ghostKey := certs.Client(t, "ghost", "ghost")
	otherCert, otherKey := other.Client(t, "root", "root")
	ca := []string{"--cacert", certs.CAFile}
	as := func(cert, key string, args ...string) []string {
		return append(append(append([]string{}, ca...), "--cert", cert, "--key", key), args...)
	}
	o := s.opts("")
	o.OnlyFirstErrLine = tlsReasonLine
	cases := [][]string{
		as(rootCert, rootKey, "user", "list"),
		as(rootCert, rootKey, "-w", "json", "auth", "status"),
		as(aliceCert, aliceKey, "user", "list"),
		as(aliceCert, aliceKey, "get", "foo"),
		as(aliceCert, aliceKey, "put", "foo", "x"),
		as(aliceCert, aliceKey, "--user", "root:rootpw", "user", "list"),
		as(rootCert, rootKey, "--user", "alice:alicepw", "user", "list"),
		as(rootCert, rootKey, "--user", "root:wrong", "user", "list"),
		as(ghostCert, ghostKey, "get", "foo"),
		// (user and role verbs have no deadline upstream: it would wait for ever here)
		append([]string{"--command-timeout=1s"}, append(ca, "auth", "status")...),
		append([]string{"--command-timeout=1s"}, as(otherCert, otherKey, "auth", "status")...),
	}
	for _, args := range cases {
		t.Run(authName(args), func(t *testing.T) { s.compare(t, args, o) })
	}
	t.Run("mutation", func(t *testing.T) {
		s.compareMut(t, as(rootCert, rootKey, "role", "add", "new"), o, true)
		s.compareMut(t, as(aliceCert, aliceKey, "role", "add", "new"), o, true)
	})
	t.Run("fail_fast", func(t *testing.T) {
		tlsFailFast(t, s, append(ca, "user", "list"), "certificate required")
		tlsFailFast(t, s, as(otherCert, otherKey, "auth", "status"), "tls: ")
		tlsFailFast(t, s, as(otherCert, otherKey, "user", "list"), "tls: ")
	})
}

// JWT tokens: the server issues them for passwords, --auth-jwt-token uses one directly, and an
// expired, forged or unknown-user token is refused as upstream reports it.
func TestTLSJWT(t *testing.T) {
	keys, err := testcerts.WriteJWTKeys(t.TempDir(), "jwt")
	require.NoError(t, err)
	forger, err := testcerts.WriteJWTKeys(t.TempDir(), "forger")
	require.NoError(t, err)
	s := authStart(t, localcluster.Options{Configure: func(i int, cfg *embed.Config) {
		cfg.AuthToken = keys.AuthToken("1h")
	}}, nil)
	authFixture(t, s, true)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = s.cli.Put(ctx, "foo", "bar")
	require.NoError(t, err)
	token := func(user, pass string) string {
		r, err := s.cli.Auth.Authenticate(ctx, user, pass)
		require.NoError(t, err)
		return r.Token
	}
	st, err := s.cli.AuthStatus(ctx)
	require.NoError(t, err)
	claims := func(user string, exp time.Time) map[string]any {
		return map[string]any{"username": user, "revision": st.AuthRevision, "exp": exp.Unix()}
	}
	expired, err := keys.Sign(claims("root", time.Now().Add(-time.Hour)))
	require.NoError(t, err)
	forged, err := forger.Sign(claims("root", time.Now().Add(time.Hour)))
	require.NoError(t, err)
	ghost, err := keys.Sign(claims("ghost", time.Now().Add(time.Hour)))
	require.NoError(t, err)
	rootTok, aliceTok := token("root", "rootpw"), token("alice", "alicepw")

	o := s.opts("")
	cases := [][]string{
		{"--user", "root:rootpw", "user", "list"},
		{"--auth-jwt-token", rootTok, "user", "list"},
		{"--auth-jwt-token", rootTok, "-w", "json", "role", "get", "reader"},
		{"--auth-jwt-token", aliceTok, "user", "list"},
		{"--auth-jwt-token", aliceTok, "get", "foo"},
		{"--auth-jwt-token", aliceTok, "put", "foo", "x"},
		{"--auth-jwt-token", expired, "user", "list"},
		{"--auth-jwt-token", expired, "get", "foo"},
		{"--auth-jwt-token", forged, "user", "list"},
		{"--auth-jwt-token", ghost, "get", "foo"},
		{"--auth-jwt-token", rootTok, "--user", "alice:alicepw", "user", "list"},
	}
	want := []string{"", "", "", "Error: etcdserver: permission denied", "", "Error: etcdserver: permission denied",
		"Error: etcdserver: invalid auth token", "Error: etcdserver: invalid auth token",
		"Error: etcdserver: invalid auth token", "Error: etcdserver: permission denied", ""}
	for i, args := range cases {
		t.Run(authName(args)[:min(60, len(authName(args)))], func(t *testing.T) {
			p := s.compare(t, args, o)
			assert.Equal(t, want[i], p.Ours.FirstErrLine())
			for _, b := range [][]byte{p.Ours.Stdout, p.Ours.Stderr} {
				assert.NotContains(t, string(b), args[1], "the token must not be shown")
			}
		})
	}
	t.Run("env", func(t *testing.T) {
		s.compare(t, []string{"user", "list"}, s.opts("", "ETCDCTL_AUTH_JWT_TOKEN="+rootTok))
		s.compare(t, []string{"user", "list"}, s.opts("", "ETCDCTL_AUTH_JWT_TOKEN="+expired))
	})
}

// Passwords and tokens never show in any stream, even with --debug and on failures.
func TestTLSSecrets(t *testing.T) {
	s := authStart(t, localcluster.Options{}, nil)
	authFixture(t, s, true)
	const secret = "S3cr3t-Pa55"
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := s.cli.UserChangePassword(ctx, "alice", secret)
	require.NoError(t, err)
	runs := []struct {
		args  []string
		stdin string
		env   []string
	}{
		{args: []string{"--user", "alice:" + secret, "get", "foo"}},
		{args: []string{"--user", "alice:" + secret + "x", "get", "foo"}},
		{args: []string{"--user", "alice:" + secret, "user", "list"}},
		{args: []string{"--user", "alice", "--password", secret, "get", "foo"}},
		{args: []string{"--user", "alice", "get", "foo"}, stdin: secret + "\n"},
		{args: []string{"--user", "alice", "get", "foo"}, stdin: secret + "x\n"},
		{args: []string{"get", "foo"}, env: []string{"ETCDCTL_USER=alice:" + secret}},
		{args: []string{"get", "foo"}, env: []string{"ETCDCTL_USER=alice", "ETCDCTL_PASSWORD=" + secret}},
		{args: []string{"--user", "root:rootpw", "user", "add", "dave:" + secret}},
		{args: []string{"--user", "root:rootpw", "user", "add", "erin", "--new-user-password", secret}},
		{args: []string{"--user", "root:rootpw", "user", "add", "fred"}, stdin: secret + "\n" + secret + "\n"},
		{args: []string{"--user", "root:rootpw", "user", "add", "gina"}, stdin: secret + "\nother\n"},
		{args: []string{"--user", "root:rootpw", "user", "passwd", "bob", "--interactive=false"}, stdin: secret + "\n"},
		{args: []string{"--user", "root:rootpw", "user", "passwd", "bob"}, stdin: secret + "\n" + secret + "\n"},
		{args: []string{"--user", "root:rootpw", "user", "passwd", "nope", "--interactive=false"}, stdin: secret + "\n"},
		{args: []string{"--auth-jwt-token", secret, "get", "foo"}},
		{args: []string{"--endpoints", "127.0.0.1:" + freeClosedPort(t), "--user", "alice:" + secret, "get", "foo"}},
	}
	for _, r := range runs {
		for _, debug := range []string{"--debug=false", "--debug"} {
			args := append([]string{debug}, r.args...)
			res := difftest.Run(t, difftest.OurBinary(t), args, s.opts(r.stdin, r.env...))
			assert.NotContains(t, string(res.Stdout), secret, "stdout of %q", args)
			assert.NotContains(t, string(res.Stderr), secret, "stderr of %q", args)
		}
	}
}

// -d/--discovery-srv: SRV records become https/http endpoints; secure discovery drops the http
// ones (falling back to --endpoints when none is left); lookup failures carry both errors.
func TestTLSDiscoverEndpoints(t *testing.T) {
	records := map[string][]*net.SRV{
		"_etcd-client-ssl._tcp.both.test":   {{Target: "a.both.test.", Port: 2379}, {Target: "b.both.test.", Port: 2380}},
		"_etcd-client._tcp.both.test":       {{Target: "c.both.test.", Port: 2379}},
		"_etcd-client._tcp.plain.test":      {{Target: "p.plain.test.", Port: 2379}},
		"_etcd-client-ssl-east._tcp.n.test": {{Target: "e.n.test.", Port: 443}},
	}
	lookup := func(service, proto, name string) (string, []*net.SRV, error) {
		key := "_" + service + "._" + proto + "." + name
		if r, ok := records[key]; ok {
			return key, r, nil
		}
		return "", nil, &net.DNSError{Err: "no such host", Name: key, IsNotFound: true}
	}
	cases := []struct {
		g        flags.Global
		eps, ign []string
		err      string
	}{
		{g: flags.Global{Endpoints: []string{"x:1"}}, eps: []string{"x:1"}},
		{g: flags.Global{DiscoverySRV: "both.test", InsecureDiscovery: true},
			eps: []string{"https://a.both.test.:2379", "https://b.both.test.:2380", "http://c.both.test.:2379"}},
		{g: flags.Global{DiscoverySRV: "both.test"},
			eps: []string{"https://a.both.test.:2379", "https://b.both.test.:2380"}, ign: []string{"http://c.both.test.:2379"}},
		{g: flags.Global{DiscoverySRV: "plain.test", InsecureDiscovery: true}, eps: []string{"http://p.plain.test.:2379"}},
		{g: flags.Global{DiscoverySRV: "plain.test", Endpoints: []string{"x:1"}}, eps: []string{"x:1"}, ign: []string{"http://p.plain.test.:2379"}},
		{g: flags.Global{DiscoverySRV: "n.test", DiscoverySRVName: "east"}, eps: []string{"https://e.n.test.:443"}},
		{g: flags.Global{DiscoverySRV: "none.test"},
			err: "dns lookup errors: lookup _etcd-client-ssl._tcp.none.test: no such host and lookup _etcd-client._tcp.none.test: no such host"},
	}
	for _, c := range cases {
		eps, ign, err := c.g.DiscoverEndpoints(lookup)
		if c.err != "" {
			require.Error(t, err)
			assert.Equal(t, c.err, err.Error())
			var de *flags.DiscoveryError
			assert.True(t, errors.As(err, &de))
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, c.eps, eps, "%+v", c.g)
		assert.Equal(t, c.ign, ign, "%+v", c.g)
	}
	// Secure discovery asks for TLS even for the --endpoints fallback.
	g := flags.Global{DiscoverySRV: "plain.test", InsecureTransport: true}
	assert.True(t, g.UsesTLS())
	g.InsecureDiscovery = true
	assert.False(t, g.UsesTLS())
}

// tlsDNS is a tiny DNS server for SRV (and localhost A) questions, enough for -d tests.
type tlsDNS struct {
	conn *net.UDPConn
	srv  map[string][]*net.SRV // "_etcd-client._tcp.example.test." -> records
}

func (d *tlsDNS) serve() {
	buf := make([]byte, 1500)
	for {
		n, addr, err := d.conn.ReadFromUDP(buf)
		if err != nil {
			return
		}
		if resp := d.answer(buf[:n]); resp != nil {
			d.conn.WriteToUDP(resp, addr)
		}
	}
}

func tlsDNSName(name string) []byte {
	var b []byte
	for _, l := range strings.Split(strings.TrimSuffix(name, "."), ".") {
		b = append(b, byte(len(l)))
		b = append(b, l...)
	}
	return append(b, 0)
}

func (d *tlsDNS) answer(q []byte) []byte {
	if len(q) < 12 {
		return nil
	}
	i, labels := 12, []string{}
	for i < len(q) && q[i] != 0 {
		l := int(q[i])
		if i+1+l > len(q) {
			return nil
		}
		labels = append(labels, string(q[i+1:i+1+l]))
		i += 1 + l
	}
	if i+5 > len(q) {
		return nil
	}
	qtype := int(q[i+1])<<8 | int(q[i+2])
	question := q[12 : i+5]
	name := strings.ToLower(strings.Join(labels, ".")) + "."
	var answers [][]byte
	rr := func(typ int, rdata []byte) {
		a := []byte{0xc0, 0x0c, byte(typ >> 8), byte(typ), 0, 1, 0, 0, 0, 60, byte(len(rdata) >> 8), byte(len(rdata))}
		answers = append(answers, append(a, rdata...))
	}
	switch {
	case qtype == 33:
		for _, s := range d.srv[name] {
			rdata := append([]byte{0, 0, 0, 0, byte(s.Port >> 8), byte(s.Port)}, tlsDNSName(s.Target)...)
			rr(33, rdata)
		}
	case qtype == 1 && name == "localhost.":
		rr(1, []byte{127, 0, 0, 1})
	}
	rcode := byte(0)
	if len(answers) == 0 && (qtype == 33 || name != "localhost.") {
		rcode = 3 // NXDOMAIN
	}
	resp := []byte{q[0], q[1], 0x81, 0x80 | rcode, 0, 1, 0, byte(len(answers)), 0, 0, 0, 0}
	resp = append(resp, question...)
	for _, a := range answers {
		resp = append(resp, a...)
	}
	return resp
}

// tlsDiscoveryCases is how many cases TestTLSDiscoveryDifferential runs.
const tlsDiscoveryCases = 19

// tlsInUserNS is set in the environment of the test process that TestTLSDiscoveryDifferential
// starts again inside namespaces of its own (tlsDiscoveryInUserNS).
const tlsInUserNS = "ETCDCTL_TEST_IN_USERNS"

// tlsForceUserNS, set to 1, makes TestTLSDiscoveryDifferential take the user-namespace way even
// as root (to check that way on a machine where the other one works).
const tlsForceUserNS = "ETCDCTL_TEST_DISCOVERY_USERNS"

// -d against both binaries with a fake DNS server on 127.0.0.1:53: each binary runs in a private
// mount namespace whose /etc/resolv.conf points at it. As root that is done in place; otherwise
// (or when 127.0.0.1:53 is taken) the test runs again in a new user, mount and network namespace
// of its own, where it is root over a loopback of its own (tlsDiscoveryInUserNS). Without either
// it is skipped, or fails under CI.
func TestTLSDiscoveryDifferential(t *testing.T) {
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		difftest.SkipOrFail(t, "no unshare (package util-linux)")
	}
	inNS := os.Getenv(tlsInUserNS) == "1"
	if !inNS && os.Getenv(tlsForceUserNS) == "1" {
		tlsDiscoveryInUserNS(t, unshare, tlsForceUserNS+"=1")
		return
	}
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 53})
	if err != nil {
		if !inNS {
			tlsDiscoveryInUserNS(t, unshare, fmt.Sprintf("cannot serve DNS on 127.0.0.1:53 here: %v", err))
			return
		}
		difftest.SkipOrFail(t, "cannot serve DNS on 127.0.0.1:53: %v", err)
	}
	defer conn.Close()
	resolv := filepath.Join(t.TempDir(), "resolv.conf")
	require.NoError(t, os.WriteFile(resolv, []byte("nameserver 127.0.0.1\n"), 0o644))
	probe := exec.Command(unshare, "-m", "sh", "-c", "mount --bind "+resolv+" /etc/resolv.conf")
	if out, err := probe.CombinedOutput(); err != nil {
		if !inNS {
			conn.Close()
			tlsDiscoveryInUserNS(t, unshare, fmt.Sprintf("no private mount namespace here: %v %s", err, out))
			return
		}
		difftest.SkipOrFail(t, "no private mount namespace: %v %s", err, out)
	}

	certs := testcerts.New(t)
	s := tlsStart(t, certs, false, nil)
	authFixture(t, s, false)
	plain := authStart(t, localcluster.Options{}, nil)
	authFixture(t, plain, false)
	port := func(host string) uint16 {
		_, p, _ := net.SplitHostPort(host)
		var n uint16
		for _, c := range p {
			n = n*10 + uint16(c-'0')
		}
		return n
	}
	tlsPort, plainPort := port(s.c.Hosts()[0]), port(plain.c.Hosts()[0])
	dns := &tlsDNS{conn: conn, srv: map[string][]*net.SRV{
		"_etcd-client-ssl._tcp.tls.test.":       {{Target: "localhost.", Port: tlsPort}},
		"_etcd-client._tcp.plain.test.":         {{Target: "localhost.", Port: plainPort}},
		"_etcd-client-ssl._tcp.mixed.test.":     {{Target: "localhost.", Port: tlsPort}},
		"_etcd-client._tcp.mixed.test.":         {{Target: "localhost.", Port: plainPort}},
		"_etcd-client-ssl-east._tcp.name.test.": {{Target: "localhost.", Port: tlsPort}},
	}}
	go dns.serve()

	script := `mount --bind "$0" /etc/resolv.conf && exec "$@"`
	run := func(t *testing.T, bin string, args []string) difftest.Result {
		return difftest.Run(t, unshare, append([]string{"-m", "sh", "-c", script, resolv, bin}, args...), difftest.Opts{})
	}
	ca := "--cacert=" + certs.CAFile
	cases := [][]string{
		{"-d", "tls.test", ca, "auth", "status"},
		{"--discovery-srv", "tls.test", ca, "-w", "json", "role", "list"},
		{"-d", "plain.test", "user", "list"},
		{"-d", "mixed.test", ca, "auth", "status"},
		{"-d", "mixed.test", ca, "--insecure-discovery=false", "auth", "status"},
		{"-d", "plain.test", "--insecure-discovery=false", "--endpoints", s.c.Hosts()[0], ca, "auth", "status"},
		{"-d", "plain.test", "--insecure-discovery=false", "--endpoints", s.c.Hosts()[0], "--insecure-skip-tls-verify", "auth", "status"},
		{"-d", "name.test", "--discovery-srv-name", "east", ca, "auth", "status"},
		{"-d", "name.test", ca, "auth", "status"},
		{"-d", "nowhere.test", "auth", "status"},
		{"-d", "nowhere.test", "--cacert", "/nonexistent", "auth", "status"},
		// Discovery comes before the format check (and the TLS files after it), in every verb.
		{"-d", "nowhere.test", "-w", "yaml", "get", "a"}, {"-d", "nowhere.test", "-w", "yaml", "watch", "k"},
		{"-d", "nowhere.test", "-w", "yaml", "lease", "timetolive", "zz"}, {"-d", "nowhere.test", "-w", "yaml", "compaction", "5"},
		{"-d", "nowhere.test", "-w", "yaml", "txn"}, {"-d", "nowhere.test", "-w", "yaml", "endpoint", "status"},
		{"-d", "nowhere.test", "-w", "yaml", "get"}, {"-d", "nowhere.test", "-w", "yaml", "watch"},
	}
	require.Len(t, cases, tlsDiscoveryCases)
	for i, args := range cases {
		t.Run(authName(args), func(t *testing.T) {
			p := difftest.Pair{Ours: run(t, difftest.OurBinary(t), args), Ref: run(t, difftest.RefBinary(t), args)}
			authAssertSame(t, args, p)
			if i < 8 {
				assert.Equal(t, 0, p.Ours.Code, "%s", p.Ours.Stderr)
			}
			assert.Equal(t, p.Ref.ErrLines(), p.Ours.ErrLines(), "whole stderr of %q", args)
		})
	}
}

// tlsDiscoveryInUserNS runs TestTLSDiscoveryDifferential again, as a child test process, in a new
// user namespace (where this user is root), mount namespace and network namespace (only a
// loopback, brought up first): there the child may serve DNS on 127.0.0.1:53, mount over
// /etc/resolv.conf for each binary, and runs its clusters on that loopback. Both binaries are
// the ones this process uses. The child's failures, or a skip, are this test's.
func tlsDiscoveryInUserNS(t *testing.T, unshare, why string) {
	t.Helper()
	ip, err := exec.LookPath("ip")
	if err != nil {
		for _, p := range []string{"/usr/sbin/ip", "/sbin/ip"} {
			if _, serr := os.Stat(p); serr == nil {
				ip, err = p, nil
			}
		}
	}
	if err != nil {
		difftest.SkipOrFail(t, "%s; no ip (package iproute2) to bring up a namespace's loopback", why)
	}
	ns := []string{"--user", "--map-root-user", "--mount", "--net"}
	if out, err := exec.Command(unshare, append(ns, ip, "link", "set", "lo", "up")...).CombinedOutput(); err != nil {
		difftest.SkipOrFail(t, "%s; and no unprivileged user namespaces (unshare %s): %v %s", why, strings.Join(ns, " "), err, out)
	}
	t.Logf("%s: running in a user, mount and network namespace of its own", why)
	env := append(os.Environ(), tlsInUserNS+"=1", "ETCDCTL_OURS="+difftest.OurBinary(t), "ETCDCTL_REFERENCE="+difftest.RefBinary(t))
	args := append(ns, "sh", "-c", `"$0" link set lo up && exec "$@"`, ip,
		os.Args[0], "-test.run=^TestTLSDiscoveryDifferential$", "-test.count=1", "-test.v", "-test.timeout=15m")
	ctx, cancel := context.WithTimeout(context.Background(), 16*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, unshare, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	text := string(out)
	switch {
	case strings.Contains(text, "--- SKIP: TestTLSDiscoveryDifferential"):
		difftest.SkipOrFail(t, "skipped in the namespaces:\n%s", text)
	case err != nil || !strings.Contains(text, "--- PASS: TestTLSDiscoveryDifferential "):
		t.Fatalf("in the namespaces: %v\n%s", err, text)
	}
	passed := strings.Count(text, "    --- PASS: TestTLSDiscoveryDifferential/")
	require.Equal(t, tlsDiscoveryCases, passed, "subtests passed in the namespaces:\n%s", text)
	t.Logf("%d cases passed in the namespaces", passed)
}

// unixs endpoints, with or without "//": the certificate is checked against the socket's file
// name without the ":port" that etcd's own socket names carry (upstream connects to unixs://localhost:2379 with a
// certificate for localhost; tests/common TestAuthority does so).
func TestTLSUnixsEndpointDifferential(t *testing.T) {
	certs := testcerts.New(t)
	sock := filepath.Join(t.TempDir(), "localhost:2379")
	s := tlsStart(t, certs, false, func(cfg *embed.Config) {
		u, err := url.Parse("unixs://" + sock)
		require.NoError(t, err)
		cfg.ListenClientUrls = append(cfg.ListenClientUrls, *u)
	})
	authFixture(t, s, false)
	o := s.opts("")
	o.OnlyFirstErrLine = tlsReasonLine
	for _, ep := range []string{"unixs://" + sock, "unixs:" + sock} {
		for _, args := range [][]string{
			{"--endpoints", ep, "--cacert", certs.CAFile, "auth", "status"},
			{"--endpoints", ep, "--cacert", certs.CAFile, "-w", "json", "user", "list"},
		} {
			t.Run(authName(args), func(t *testing.T) { s.compare(t, args, o) })
		}
	}
}
