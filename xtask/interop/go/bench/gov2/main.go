// Command gov2 is the Go SDK v2 side of the `bucket_bench` example of oss-crypto-bucket: the
// `EncryptionClient` (RSA master cipher) Uploader with a checkpoint, then Downloader, of one
// file against the dev server the bench started, with the bench's part size and parallelism.
// It lives below bench/ so that `cargo xtask interop`, which runs every top-level driver,
// does not take it for one.
//
// Usage: gov2 -endpoint URL -bucket NAME -private-key PEM -public-key PEM -file PATH -key KEY
// -part-size BYTES -threads N, with OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET in the
// environment. Prints `go_v2_size_bytes N`, `go_v2_put_seconds S`, `go_v2_get_seconds S` and,
// only when the download equals the input byte for byte, `go_v2_verified`.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/credentials"
	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/crypto"
)

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gov2 bench:", err)
	os.Exit(1)
}

// sameFiles compares two files chunk by chunk.
func sameFiles(a, b string) (bool, error) {
	fa, err := os.Open(a)
	if err != nil {
		return false, err
	}
	defer fa.Close()
	fb, err := os.Open(b)
	if err != nil {
		return false, err
	}
	defer fb.Close()
	ba, bb := make([]byte, 1<<20), make([]byte, 1<<20)
	for {
		na, ea := io.ReadFull(fa, ba)
		nb, eb := io.ReadFull(fb, bb)
		if na != nb || !bytes.Equal(ba[:na], bb[:nb]) {
			return false, nil
		}
		if ea == io.EOF || ea == io.ErrUnexpectedEOF {
			return eb == io.EOF || eb == io.ErrUnexpectedEOF, nil
		}
		if ea != nil {
			return false, ea
		}
	}
}

func main() {
	endpoint := flag.String("endpoint", "", "dev server URL")
	bucket := flag.String("bucket", "", "bucket")
	privatePath := flag.String("private-key", "", "RSA private key PEM")
	publicPath := flag.String("public-key", "", "RSA public key PEM")
	file := flag.String("file", "", "input file")
	key := flag.String("key", "gov2", "object key")
	partSize := flag.Int64("part-size", 8<<20, "part size in bytes")
	threads := flag.Int("threads", 4, "parallel parts")
	flag.Parse()

	private, err := os.ReadFile(*privatePath)
	if err != nil {
		fail(err)
	}
	public, err := os.ReadFile(*publicPath)
	if err != nil {
		fail(err)
	}
	cfg := oss.LoadDefaultConfig().
		WithCredentialsProvider(credentials.NewStaticCredentialsProvider(
			os.Getenv("OSS_ACCESS_KEY_ID"), os.Getenv("OSS_ACCESS_KEY_SECRET"))).
		WithRegion("cn-hangzhou").WithEndpoint(*endpoint).WithUsePathStyle(true)
	master, err := crypto.CreateMasterRsa(nil, string(public), string(private))
	if err != nil {
		fail(err)
	}
	client, err := oss.NewEncryptionClient(oss.NewClient(cfg), master)
	if err != nil {
		fail(err)
	}
	work, err := os.MkdirTemp(filepath.Dir(*file), "gov2-bench-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(work)
	ctx := context.Background()

	start := time.Now()
	up := client.NewUploader(func(o *oss.UploaderOptions) {
		o.PartSize, o.ParallelNum, o.EnableCheckpoint, o.CheckpointDir = *partSize, *threads, true, work
	})
	if _, err := up.UploadFile(ctx, &oss.PutObjectRequest{Bucket: bucket, Key: key}, *file); err != nil {
		fail(err)
	}
	put := time.Since(start).Seconds()

	out := filepath.Join(work, "download.bin")
	start = time.Now()
	down := client.NewDownloader(func(o *oss.DownloaderOptions) { o.PartSize, o.ParallelNum = *partSize, *threads })
	if _, err := down.DownloadFile(ctx, &oss.GetObjectRequest{Bucket: bucket, Key: key}, out); err != nil {
		fail(err)
	}
	get := time.Since(start).Seconds()

	info, err := os.Stat(*file)
	if err != nil {
		fail(err)
	}
	fmt.Printf("go_v2_size_bytes %d\ngo_v2_put_seconds %f\ngo_v2_get_seconds %f\n", info.Size(), put, get)
	same, err := sameFiles(*file, out)
	if err != nil {
		fail(err)
	}
	if !same {
		fail(fmt.Errorf("the download differs from the input"))
	}
	fmt.Println("go_v2_verified")
}
