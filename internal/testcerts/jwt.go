package testcerts

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
)

// JWTKeys is an RSA key pair for etcd's JWT token provider, written as PEM files.
type JWTKeys struct {
	Key      *rsa.PrivateKey
	PrivFile string
	PubFile  string
}

// WriteJWTKeys generates an RSA key and writes <dir>/<name>.key and <dir>/<name>.pub.
func WriteJWTKeys(dir, name string) (*JWTKeys, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return nil, err
	}
	k := &JWTKeys{Key: key, PrivFile: filepath.Join(dir, name+".key"), PubFile: filepath.Join(dir, name+".pub")}
	if err := os.WriteFile(k.PrivFile, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}), 0o600); err != nil {
		return nil, err
	}
	if err := os.WriteFile(k.PubFile, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}), 0o600); err != nil {
		return nil, err
	}
	return k, nil
}

// AuthToken is the etcd --auth-token value that uses these keys (RS256) with the given ttl.
func (k *JWTKeys) AuthToken(ttl string) string {
	return "jwt,pub-key=" + k.PubFile + ",priv-key=" + k.PrivFile + ",sign-method=RS256,ttl=" + ttl
}

// Sign makes an RS256 JWT with the given claims (etcd reads "username", "revision" and "exp").
func (k *JWTKeys) Sign(claims map[string]any) (string, error) {
	enc := base64.RawURLEncoding
	h, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT"})
	c, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signed := enc.EncodeToString(h) + "." + enc.EncodeToString(c)
	sum := sha256.Sum256([]byte(signed))
	sig, err := rsa.SignPKCS1v15(rand.Reader, k.Key, crypto.SHA256, sum[:])
	if err != nil {
		return "", err
	}
	return signed + "." + enc.EncodeToString(sig), nil
}
