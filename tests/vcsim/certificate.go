package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"path/filepath"
	"strings"
	"time"
)

// selfSigned makes a certificate for 127.0.0.1 and localhost, with an
// ECDSA P-256 key, or an RSA key of rsaBits bits when that is not 0, and
// writes it and its SHA-256 and SHA-1 thumbprints (colon form) to dir.
func selfSigned(dir string, rsaBits int) (tls.Certificate, error) {
	var key crypto.Signer
	var err error
	if rsaBits != 0 {
		key, err = rsa.GenerateKey(rand.Reader, rsaBits)
	} else {
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "vcsim", Organization: []string{"vicport tests"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:     []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, &tmpl, &tmpl, key.Public(), key)
	if err != nil {
		return tls.Certificate{}, err
	}
	if dir != "" {
		s256 := sha256.Sum256(der)
		s1 := sha1.Sum(der)
		files := map[string][]byte{
			"cert.pem":          pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
			"thumbprint-sha256": []byte(colons(s256[:]) + "\n"),
			"thumbprint-sha1":   []byte(colons(s1[:]) + "\n"),
		}
		for name, data := range files {
			if err := writeAtomic(filepath.Join(dir, name), data); err != nil {
				return tls.Certificate{}, err
			}
		}
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

// colons formats a digest as vCenter shows thumbprints: AB:CD:...
func colons(sum []byte) string {
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}
