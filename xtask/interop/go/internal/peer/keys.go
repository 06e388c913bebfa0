package peer

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
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

// TwoKeys is a peer's side of the two-keys-by-matdesc steps.
type TwoKeys struct {
	// Peer names the peer in the step names (`go_v1`, ...) and its objects' key prefix.
	Peer string
	// Put writes data under key with master key i (0: one, 1: two).
	Put func(i int, key string, data []byte) error
	// Check reads key through the peer's reader, whose default is key one and which knows
	// key two by its matdesc, whole and by ranges, and compares with data.
	Check func(key string, data []byte, ranges []Range) error
}

// TwoKeySteps makes key two, has newPeer build the peer's side for keys one and two, and runs
// `<peer>_two_keys_by_matdesc_read_by_us` (the peer writes one object with each key; we read
// both, default key one, key two registered by matdesc) and
// `our_two_keys_by_matdesc_read_by_<peer>` (the other way round). A setup failure is a
// failed step of its own.
func (e *Env) TwoKeySteps(r *Runner, bucket string, newPeer func(one, two RsaPair) (TwoKeys, error)) {
	one := e.PrimaryKey()
	two, err := e.SecondKey()
	if err != nil {
		r.Step("second_rsa_key", func() error { return err })
		return
	}
	p, err := newPeer(one, two)
	if err != nil {
		r.Step("two_keys_clients", func() error { return err })
		return
	}
	data := [2][]byte{Random(4099), Random(4099)}
	ranges := Ranges(4099)
	r.Step(p.Peer+"_two_keys_by_matdesc_read_by_us", func() error {
		for i := range data {
			key := fmt.Sprintf("%s/matdesc-%d", p.Peer, i+1)
			if err := p.Put(i, key, data[i]); err != nil {
				return err
			}
			// Our default key is `one`; the object written with `two` must pick two by matdesc.
			if err := e.CheckLibraryReads(bucket, key, data[i], ranges, one.ReaderWith(two)); err != nil {
				return fmt.Errorf("object of key %d: %w", i+1, err)
			}
		}
		return nil
	})
	r.Step("our_two_keys_by_matdesc_read_by_"+p.Peer, func() error {
		for i, pair := range []RsaPair{one, two} {
			key := fmt.Sprintf("rust/matdesc-%d", i+1)
			if err := e.RustPut(bucket, key, data[i], pair.Writer()); err != nil {
				return err
			}
			if err := p.Check(key, data[i], ranges); err != nil {
				return fmt.Errorf("object of key %d: %w", i+1, err)
			}
		}
		return nil
	})
}
