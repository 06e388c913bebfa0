// Command gov1 proves interop between our CryptoBucket and the Go SDK v1 `CryptoBucket`
// (github.com/aliyun/aliyun-oss-go-sdk, package oss/crypto) with the RSA master cipher and the
// KMS master cipher (pointed at the dev server's KMS), both directions, and two RSA master keys
// chosen by matdesc, on the dev server `cargo xtask interop` starts. One PASS/FAIL line per step.
//
// Go v1's CryptoBucket has no resumable upload or download (UploadFile and DownloadFile return
// "doesn't support"), so our resumable upload is read by its GetObject instead.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	kms "github.com/aliyun/alibaba-cloud-sdk-go/services/kms"
	"github.com/aliyun/aliyun-oss-go-sdk/oss"
	osscrypto "github.com/aliyun/aliyun-oss-go-sdk/oss/crypto"

	"ossinterop/internal/peer"
)

const name = "go_v1"

// plainHTTP sends the KMS client's requests over plain HTTP: Go v1's KMS master cipher
// hard-codes the `https` scheme (spec kms-api §1), and the dev server's KMS listens on
// http://127.0.0.1. The V1 signature does not cover the scheme, so nothing else changes.
type plainHTTP struct{}

func (plainHTTP) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.URL.Scheme = "http"
	return http.DefaultTransport.RoundTrip(req)
}

func kmsClient(env *peer.Env) (*kms.Client, error) {
	client, err := kms.NewClientWithAccessKey(env.Region, env.AccessKeyID, env.AccessKeySecret)
	if err != nil {
		return nil, err
	}
	client.Domain = env.KmsHost()
	client.SetTransport(plainHTTP{})
	return client, nil
}

// keyManager answers Go v1's lookup of an RSA key by the object's matdesc.
type keyManager map[string]peer.RsaPair

func (m keyManager) GetMasterKey(desc map[string]string) ([]string, error) {
	text, err := json.Marshal(desc)
	if err != nil {
		return nil, err
	}
	pair, ok := m[string(text)]
	if !ok {
		return nil, fmt.Errorf("no RSA key for matdesc %s", text)
	}
	return []string{pair.PublicPEM, pair.PrivatePEM}, nil
}

type driver struct {
	env    *peer.Env
	client *oss.Client
	bucket string
}

// rsaBucket writes with pair (nil matdesc for the shared key without one) and reads the others
// through the key manager.
func (d *driver) rsaBucket(pair peer.RsaPair, matdesc map[string]string, others keyManager) (*osscrypto.CryptoBucket, error) {
	master, err := osscrypto.CreateMasterRsa(matdesc, pair.PublicPEM, pair.PrivatePEM)
	if err != nil {
		return nil, err
	}
	return osscrypto.GetCryptoBucket(d.client, d.bucket, osscrypto.CreateAesCtrCipher(master), osscrypto.SetMasterCipherManager(others))
}

func (d *driver) kmsBucket() (*osscrypto.CryptoBucket, error) {
	client, err := kmsClient(d.env)
	if err != nil {
		return nil, err
	}
	master, err := osscrypto.CreateMasterAliKms(nil, d.env.KmsKeyID, client)
	if err != nil {
		return nil, err
	}
	return osscrypto.GetCryptoBucket(d.client, d.bucket, osscrypto.CreateAesCtrCipher(master), osscrypto.SetAliKmsClient(client))
}

func put(b *osscrypto.CryptoBucket, key string, data []byte) error {
	return b.PutObject(key, bytes.NewReader(data))
}

func get(b *osscrypto.CryptoBucket, key, spec string) ([]byte, error) {
	var options []oss.Option
	if spec != "" {
		options = append(options, oss.NormalizedRange(spec))
	}
	body, err := b.GetObject(key, options...)
	if err != nil {
		return nil, err
	}
	defer body.Close()
	return io.ReadAll(body)
}

// checkPeerReads reads key whole and by each range through Go v1 and compares with data.
func checkPeerReads(b *osscrypto.CryptoBucket, key string, data []byte, ranges []peer.Range) error {
	got, err := get(b, key, "")
	if err != nil {
		return err
	}
	if err := peer.Eq(got, data, "Go v1 read whole"); err != nil {
		return err
	}
	for _, r := range ranges {
		got, err := get(b, key, r.Spec)
		if err != nil {
			return err
		}
		if err := peer.CheckPeerRange(got, data, r, "Go v1"); err != nil {
			return err
		}
	}
	return nil
}

func multipart(b *osscrypto.CryptoBucket, key string, data []byte) error {
	ctx := osscrypto.PartCryptoContext{DataSize: int64(len(data)), PartSize: peer.PartSize}
	imur, err := b.InitiateMultipartUpload(key, &ctx)
	if err != nil {
		return err
	}
	var parts []oss.UploadPart
	for n, off := 1, 0; off < len(data); n, off = n+1, off+peer.PartSize {
		chunk := data[off:min(off+peer.PartSize, len(data))]
		part, err := b.UploadPart(imur, bytes.NewReader(chunk), int64(len(chunk)), n, ctx)
		if err != nil {
			return err
		}
		parts = append(parts, part)
	}
	_, err = b.CompleteMultipartUpload(imur, parts)
	return err
}

// masterSteps runs the single-PUT and multipart cells both ways for one master key: b is Go
// v1's bucket, ours are our writing/reading arguments, kms selects `osscrypt get`'s key.
func (d *driver) masterSteps(r *peer.Runner, label string, b *osscrypto.CryptoBucket, ours peer.Keys, kms bool) {
	for _, n := range peer.Sizes {
		data := peer.Random(n)
		r.Step(fmt.Sprintf("go_v1_%s_put_%d_read_by_us", label, n), func() error {
			key := fmt.Sprintf("gov1/%s/put-%d", label, n)
			if err := put(b, key, data); err != nil {
				return err
			}
			return d.env.CheckOurReads(d.bucket, key, data, peer.Ranges(n), ours, kms)
		})
		r.Step(fmt.Sprintf("our_%s_put_%d_read_by_go_v1", label, n), func() error {
			key := fmt.Sprintf("rust/%s/put-%d", label, n)
			if err := d.env.RustPut(d.bucket, key, data, ours); err != nil {
				return err
			}
			return checkPeerReads(b, key, data, peer.Ranges(n))
		})
	}
	data := peer.MultipartData()
	ranges := append(peer.Ranges(len(data)), peer.Spanning())
	r.Step(fmt.Sprintf("go_v1_%s_multipart_read_by_us", label), func() error {
		key := fmt.Sprintf("gov1/%s/multipart", label)
		if err := multipart(b, key, data); err != nil {
			return err
		}
		return d.env.CheckOurReads(d.bucket, key, data, ranges, ours, kms)
	})
	r.Step(fmt.Sprintf("our_%s_multipart_read_by_go_v1", label), func() error {
		key := fmt.Sprintf("rust/%s/multipart", label)
		if err := d.env.RustMultipart(d.bucket, key, data, ours); err != nil {
			return err
		}
		return checkPeerReads(b, key, data, ranges)
	})
	r.Step(fmt.Sprintf("our_%s_resumable_upload_read_by_go_v1", label), func() error {
		key := fmt.Sprintf("rust/%s/resumable", label)
		if err := d.env.RustResumable(d.bucket, key, data, ours); err != nil {
			return err
		}
		return checkPeerReads(b, key, data, []peer.Range{peer.Spanning()})
	})
}

// oss2FlavourSteps: our KMS writes in the oss2 flavour (double base64, the default) are not
// readable by Go v1, which sends the header's blob to Decrypt without the inner base64 decode
// (spec §12.2 item 3): KMS answers InvalidParameter. The step expects exactly that failure and
// our own reads to succeed.
func (d *driver) oss2FlavourSteps(r *peer.Runner, b *osscrypto.CryptoBucket) {
	r.Step("our_kms_oss2_put_not_readable_by_go_v1", func() error {
		data := peer.Random(1<<20 + 7)
		if err := d.env.RustPut(d.bucket, "rust/kms-oss2/put", data, d.env.KmsKeys("oss2")); err != nil {
			return err
		}
		if err := d.env.CheckOurReads(d.bucket, "rust/kms-oss2/put", data, peer.Ranges(len(data)), d.env.KmsKeys("oss2"), true); err != nil {
			return err
		}
		got, err := get(b, "rust/kms-oss2/put", "")
		if err == nil && bytes.Equal(got, data) {
			return fmt.Errorf("Go v1 now reads the oss2 KMS flavour: update the expectation")
		}
		if err == nil {
			return fmt.Errorf("Go v1 returned %d wrong bytes instead of an error for the oss2 KMS flavour", len(got))
		}
		// The dev server's KMS, like the real one, refuses the doubly encoded blob.
		if !strings.Contains(err.Error(), "The CiphertextBlob is invalid") {
			return fmt.Errorf("Go v1 failed otherwise than by KMS refusing the blob: %w", err)
		}
		return nil
	})
}

// twoKeys is Go v1's side of the two-keys-by-matdesc steps: a bucket per key, each reading
// the other key's objects through the key manager.
func (d *driver) twoKeys(one, two peer.RsaPair) (peer.TwoKeys, error) {
	var writers [2]*osscrypto.CryptoBucket
	for i, pair := range []peer.RsaPair{one, two} {
		desc := map[string]string{"key": []string{"one", "two"}[i]}
		var err error
		if writers[i], err = d.rsaBucket(pair, desc, keyManager{one.Matdesc: one, two.Matdesc: two}); err != nil {
			return peer.TwoKeys{}, err
		}
	}
	return peer.TwoKeys{
		Peer: name,
		Put:  func(i int, key string, data []byte) error { return put(writers[i], key, data) },
		Check: func(key string, data []byte, ranges []peer.Range) error {
			return checkPeerReads(writers[0], key, data, ranges)
		},
	}, nil
}

func main() {
	env := peer.LoadEnv()
	client, err := oss.New(env.Endpoint, env.AccessKeyID, env.AccessKeySecret)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	d := &driver{env: env, client: client, bucket: env.Bucket("-go-v1")}
	var r peer.Runner
	r.Step("create_bucket", func() error { return client.CreateBucket(d.bucket) })
	rsaBucket, err := d.rsaBucket(env.PrimaryKey(), nil, keyManager{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	d.masterSteps(&r, "rsa", rsaBucket, env.RsaKeys(), false)
	kmsBucket, err := d.kmsBucket()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	d.masterSteps(&r, "kms", kmsBucket, env.KmsKeys("go-java"), true)
	d.oss2FlavourSteps(&r, kmsBucket)
	env.TwoKeySteps(&r, d.bucket, d.twoKeys)
	os.Exit(r.Finish(name))
}
