package peer

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
)

// RsaPair is an RSA master key of the matrix with the matdesc it is written with.
type RsaPair struct {
	PrivatePath, PublicPath string
	PrivatePEM, PublicPEM   string
	Matdesc                 string // compact JSON, as Go, Java and we spell it
}

// PrimaryKey is the shared vectors' RSA pair, described by `{"key":"one"}`.
func (e *Env) PrimaryKey() RsaPair {
	return RsaPair{e.PrivatePath, e.PublicPath, e.PrivatePEM, e.PublicPEM, `{"key":"one"}`}
}

// SecondKey is a fresh 1024-bit RSA pair (PKCS#1 PEM files in the work directory), described
// by `{"key":"two"}`: the second master key of the several-keys-by-matdesc steps.
func (e *Env) SecondKey() (RsaPair, error) {
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		return RsaPair{}, err
	}
	private := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
	public := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&key.PublicKey)}))
	pair := RsaPair{PrivatePath: e.NewPath(), PublicPath: e.NewPath(), PrivatePEM: private, PublicPEM: public, Matdesc: `{"key":"two"}`}
	if err := os.WriteFile(pair.PrivatePath, []byte(private), 0o600); err != nil {
		return RsaPair{}, err
	}
	return pair, os.WriteFile(pair.PublicPath, []byte(public), 0o600)
}

// Writer is our side's `bucket_interop` arguments to write with this key and its matdesc.
func (p RsaPair) Writer() Keys {
	return Keys{"--private-key", p.PrivatePath, "--public-key", p.PublicPath, "--matdesc", p.Matdesc}
}

// ReaderWith is our side's arguments to read with p as the default key and other registered
// by its matdesc, so the object's matdesc must pick the right one.
func (p RsaPair) ReaderWith(other RsaPair) Keys {
	return append(p.Writer(), "--read-key", other.PrivatePath+":"+other.Matdesc)
}
