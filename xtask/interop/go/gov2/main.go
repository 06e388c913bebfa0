// Command gov2 proves interop between our CryptoBucket and the Go SDK v2 `EncryptionClient`
// (github.com/aliyun/alibabacloud-oss-go-sdk-v2) with the RSA master cipher, both directions,
// and two RSA master keys told apart by matdesc, on the dev server `cargo xtask interop` starts.
// It prints one PASS/FAIL line per step.
//
// The SDK has no KMS master cipher (only a sample), so this driver covers RSA only.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/credentials"
	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/crypto"

	"ossinterop/internal/peer"
)

const name = "go_v2"

type driver struct {
	env    *peer.Env
	bucket string
	plain  *oss.Client
	crypto *oss.EncryptionClient
	ctx    context.Context
}

func newDriver(env *peer.Env) (*driver, error) {
	cfg := oss.LoadDefaultConfig().
		WithCredentialsProvider(credentials.NewStaticCredentialsProvider(env.AccessKeyID, env.AccessKeySecret)).
		WithRegion(env.Region).WithEndpoint(env.Endpoint).WithUsePathStyle(true)
	plain := oss.NewClient(cfg)
	master, err := crypto.CreateMasterRsa(nil, env.PublicPEM, env.PrivatePEM)
	if err != nil {
		return nil, err
	}
	ec, err := oss.NewEncryptionClient(plain, master)
	if err != nil {
		return nil, err
	}
	return &driver{env: env, bucket: env.Bucket("-go-v2"), plain: plain, crypto: ec, ctx: context.Background()}, nil
}

func (d *driver) put(ec *oss.EncryptionClient, key string, data []byte) error {
	_, err := ec.PutObject(d.ctx, &oss.PutObjectRequest{Bucket: oss.Ptr(d.bucket), Key: oss.Ptr(key), Body: bytes.NewReader(data)})
	return err
}

func (d *driver) get(ec *oss.EncryptionClient, key, spec string) ([]byte, error) {
	req := &oss.GetObjectRequest{Bucket: oss.Ptr(d.bucket), Key: oss.Ptr(key)}
	if spec != "" {
		req.Range = oss.Ptr("bytes=" + spec)
	}
	res, err := ec.GetObject(d.ctx, req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	return io.ReadAll(res.Body)
}

// checkPeerReads reads key whole and by each range through ec and compares with data.
func (d *driver) checkPeerReads(ec *oss.EncryptionClient, key string, data []byte, ranges []peer.Range) error {
	got, err := d.get(ec, key, "")
	if err != nil {
		return err
	}
	if err := peer.Eq(got, data, "Go v2 read whole"); err != nil {
		return err
	}
	for _, r := range ranges {
		got, err := d.get(ec, key, r.Spec)
		if err != nil {
			return err
		}
		if err := peer.CheckPeerRange(got, data, r, "Go v2"); err != nil {
			return err
		}
	}
	return nil
}

func (d *driver) multipart(key string, data []byte) error {
	size, part := int64(len(data)), int64(peer.PartSize)
	init, err := d.crypto.InitiateMultipartUpload(d.ctx, &oss.InitiateMultipartUploadRequest{
		Bucket: oss.Ptr(d.bucket), Key: oss.Ptr(key), CSEDataSize: &size, CSEPartSize: &part})
	if err != nil {
		return err
	}
	var parts []oss.UploadPart
	for n, off := int32(1), 0; off < len(data); n, off = n+1, off+peer.PartSize {
		res, err := d.crypto.UploadPart(d.ctx, &oss.UploadPartRequest{
			Bucket: oss.Ptr(d.bucket), Key: oss.Ptr(key), UploadId: init.UploadId, PartNumber: n,
			CSEMultiPartContext: init.CSEMultiPartContext,
			Body:                bytes.NewReader(data[off:min(off+peer.PartSize, len(data))])})
		if err != nil {
			return err
		}
		parts = append(parts, oss.UploadPart{PartNumber: n, ETag: res.ETag})
	}
	_, err = d.crypto.CompleteMultipartUpload(d.ctx, &oss.CompleteMultipartUploadRequest{
		Bucket: oss.Ptr(d.bucket), Key: oss.Ptr(key), UploadId: init.UploadId,
		CompleteMultipartUpload: &oss.CompleteMultipartUpload{Parts: parts}})
	return err
}

func (d *driver) uploader(key string, data []byte) error {
	path, err := d.env.TempFile(data)
	if err != nil {
		return err
	}
	u := d.crypto.NewUploader(func(o *oss.UploaderOptions) {
		o.PartSize, o.ParallelNum, o.EnableCheckpoint, o.CheckpointDir = peer.PartSize, 3, true, d.env.Work
	})
	_, err = u.UploadFile(d.ctx, &oss.PutObjectRequest{Bucket: oss.Ptr(d.bucket), Key: oss.Ptr(key)}, path)
	return err
}

func (d *driver) downloader(key string) ([]byte, error) {
	path := d.env.NewPath()
	dl := d.crypto.NewDownloader(func(o *oss.DownloaderOptions) { o.PartSize, o.ParallelNum = peer.PartSize, 3 })
	if _, err := dl.DownloadFile(d.ctx, &oss.GetObjectRequest{Bucket: oss.Ptr(d.bucket), Key: oss.Ptr(key)}, path); err != nil {
		return nil, err
	}
	return os.ReadFile(path)
}

// encryptionClient writes with pair under its matdesc and reads objects of the others by
// theirs (EncryptionClientOptions.MasterCiphers, looked up by the object's matdesc string).
func (d *driver) encryptionClient(pair peer.RsaPair, others ...peer.RsaPair) (*oss.EncryptionClient, error) {
	master := func(p peer.RsaPair) (crypto.MasterCipher, error) {
		var desc map[string]string
		if err := json.Unmarshal([]byte(p.Matdesc), &desc); err != nil {
			return nil, err
		}
		return crypto.CreateMasterRsa(desc, p.PublicPEM, p.PrivatePEM)
	}
	own, err := master(pair)
	if err != nil {
		return nil, err
	}
	var byMatdesc []crypto.MasterCipher
	for _, p := range others {
		m, err := master(p)
		if err != nil {
			return nil, err
		}
		byMatdesc = append(byMatdesc, m)
	}
	return oss.NewEncryptionClient(d.plain, own, func(o *oss.EncryptionClientOptions) { o.MasterCiphers = byMatdesc })
}

// twoKeys is Go v2's side of the two-keys-by-matdesc steps.
func (d *driver) twoKeys(one, two peer.RsaPair) (peer.TwoKeys, error) {
	var writers [2]*oss.EncryptionClient
	for i, pair := range []peer.RsaPair{one, two} {
		var err error
		if writers[i], err = d.encryptionClient(pair); err != nil {
			return peer.TwoKeys{}, err
		}
	}
	// Go v2's reader: default key one, key two registered by its matdesc.
	reader, err := d.encryptionClient(one, two)
	return peer.TwoKeys{
		Peer: name,
		Put:  func(i int, key string, data []byte) error { return d.put(writers[i], key, data) },
		Check: func(key string, data []byte, ranges []peer.Range) error {
			return d.checkPeerReads(reader, key, data, ranges)
		},
	}, err
}

func main() {
	env := peer.LoadEnv()
	d, err := newDriver(env)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	rsa := env.RsaKeys()
	var r peer.Runner
	r.Step("create_bucket", func() error {
		_, err := d.plain.PutBucket(d.ctx, &oss.PutBucketRequest{Bucket: oss.Ptr(d.bucket)})
		return err
	})
	for _, n := range peer.Sizes {
		data := peer.Random(n)
		r.Step(fmt.Sprintf("go_v2_put_%d_read_by_us", n), func() error {
			key := fmt.Sprintf("gov2/put-%d", n)
			if err := d.put(d.crypto, key, data); err != nil {
				return err
			}
			return env.CheckOurReads(d.bucket, key, data, peer.Ranges(n), rsa, false)
		})
		r.Step(fmt.Sprintf("our_put_%d_read_by_go_v2", n), func() error {
			key := fmt.Sprintf("rust/put-%d", n)
			if err := env.RustPut(d.bucket, key, data, rsa); err != nil {
				return err
			}
			return d.checkPeerReads(d.crypto, key, data, peer.Ranges(n))
		})
	}
	data := peer.MultipartData()
	multipartRanges := append(peer.Ranges(len(data)), peer.Spanning())
	r.Step("go_v2_multipart_read_by_us", func() error {
		if err := d.multipart("gov2/multipart", data); err != nil {
			return err
		}
		return env.CheckOurReads(d.bucket, "gov2/multipart", data, multipartRanges, rsa, false)
	})
	r.Step("our_multipart_read_by_go_v2", func() error {
		if err := env.RustMultipart(d.bucket, "rust/multipart", data, rsa); err != nil {
			return err
		}
		return d.checkPeerReads(d.crypto, "rust/multipart", data, multipartRanges)
	})
	r.Step("go_v2_uploader_read_by_us", func() error {
		if err := d.uploader("gov2/uploader", data); err != nil {
			return err
		}
		return env.CheckOurReads(d.bucket, "gov2/uploader", data, []peer.Range{peer.Spanning()}, rsa, false)
	})
	r.Step("our_resumable_upload_read_by_go_v2_downloader", func() error {
		if err := env.RustResumable(d.bucket, "rust/resumable", data, rsa); err != nil {
			return err
		}
		got, err := d.downloader("rust/resumable")
		if err != nil {
			return err
		}
		return peer.Eq(got, data, "Go v2 Downloader read")
	})
	env.TwoKeySteps(&r, d.bucket, d.twoKeys)
	os.Exit(r.Finish(name))
}
