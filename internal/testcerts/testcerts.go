// Package testcerts makes throw-away TLS material for tests: a CA, server certificates for the
// loopback address and client certificates with a chosen common name (for etcd's CN-based auth).
// Everything is generated when a test runs and is valid for a day, so nothing checked in expires.
package testcerts

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// CA is a certificate authority that can issue server and client certificates.
type CA struct {
	Cert *x509.Certificate
	Key  *ecdsa.PrivateKey
	// PEM is the CA certificate in PEM form (what a --cacert file holds).
	PEM []byte
}

// NewCA creates a self-signed CA named cn.
func NewCA(cn string) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"etcdctl tests"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &CA{Cert: cert, Key: key, PEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}, nil
}

// Leaf is an issued certificate and its key, both PEM-encoded.
type Leaf struct {
	CertPEM []byte
	KeyPEM  []byte
}

// Kind selects what a certificate may be used for.
type Kind int

// Certificate kinds.
const (
	Server Kind = iota // server and client auth, SANs 127.0.0.1, ::1 and localhost
	Client             // client auth only
)

// Issue signs a certificate of kind for common name cn.
func (ca *CA) Issue(kind Kind, cn string) (*Leaf, error) {
	if ca == nil {
		return nil, errors.New("testcerts: nil CA")
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	if kind == Server {
		tmpl.ExtKeyUsage = append(tmpl.ExtKeyUsage, x509.ExtKeyUsageServerAuth)
		tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1"), net.IPv6loopback}
		tmpl.DNSNames = []string{"localhost"}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, &key.PublicKey, ca.Key)
	if err != nil {
		return nil, err
	}
	kb, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	return &Leaf{
		CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		KeyPEM:  pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb}),
	}, nil
}

// Files are the paths of a CA and a server pair written to a directory.
type Files struct {
	Dir        string
	CA         *CA
	CAFile     string
	ServerCert string
	ServerKey  string
}

// WriteFiles writes a fresh CA and a server certificate for the loopback address into dir.
func WriteFiles(dir string) (*Files, error) {
	ca, err := NewCA("etcdctl test CA")
	if err != nil {
		return nil, err
	}
	srv, err := ca.Issue(Server, "127.0.0.1")
	if err != nil {
		return nil, err
	}
	f := &Files{Dir: dir, CA: ca,
		CAFile: filepath.Join(dir, "ca.pem"), ServerCert: filepath.Join(dir, "server.pem"), ServerKey: filepath.Join(dir, "server-key.pem")}
	for path, b := range map[string][]byte{f.CAFile: ca.PEM, f.ServerCert: srv.CertPEM, f.ServerKey: srv.KeyPEM} {
		if err := os.WriteFile(path, b, 0o600); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// ClientFiles issues a client certificate with common name cn and writes it as
// <dir>/<name>.pem and <dir>/<name>-key.pem, returning both paths.
func (f *Files) ClientFiles(name, cn string) (certFile, keyFile string, err error) {
	l, err := f.CA.Issue(Client, cn)
	if err != nil {
		return "", "", err
	}
	certFile, keyFile = filepath.Join(f.Dir, name+".pem"), filepath.Join(f.Dir, name+"-key.pem")
	if err := os.WriteFile(certFile, l.CertPEM, 0o600); err != nil {
		return "", "", err
	}
	if err := os.WriteFile(keyFile, l.KeyPEM, 0o600); err != nil {
		return "", "", err
	}
	return certFile, keyFile, nil
}

// New writes a CA and a server certificate into a test's temporary directory.
func New(t testing.TB) *Files {
	t.Helper()
	f, err := WriteFiles(t.TempDir())
	if err != nil {
		t.Fatalf("testcerts: %v", err)
	}
	return f
}

// Client issues a client certificate for cn in a test, failing it on error.
func (f *Files) Client(t testing.TB, name, cn string) (certFile, keyFile string) {
	t.Helper()
	c, k, err := f.ClientFiles(name, cn)
	if err != nil {
		t.Fatalf("testcerts: %v", err)
	}
	return c, k
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return big.NewInt(time.Now().UnixNano())
	}
	return n.Add(n, big.NewInt(1))
}
