// Package peer is shared by the Go interop drivers: the environment `cargo xtask interop` sets,
// the step runner with its PASS/FAIL lines, byte comparisons, the range cases and the calls
// into our side (the `bucket_interop` example and the `osscrypt` binary).
package peer

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Env holds the connection details and tool paths the xtask passes in the environment.
type Env struct {
	Endpoint, KmsEndpoint, Region string
	AccessKeyID, AccessKeySecret  string
	KmsKeyID                      string
	Vectors                       string
	BucketBin, OsscryptBin        string
	// Work is a directory of this driver's own; files written there are removed by the xtask.
	Work                    string
	PrivatePath, PublicPath string
	PrivatePEM, PublicPEM   string
	bucketPrefix            string
	files                   int
}

func need(name string) string {
	v := os.Getenv(name)
	if v == "" {
		fmt.Fprintf(os.Stderr, "missing environment variable %s\n", name)
		os.Exit(2)
	}
	return v
}

func orDefault(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

// LoadEnv reads the environment; a missing variable ends the program with status 2.
func LoadEnv() *Env {
	e := &Env{
		Endpoint:        need("OSS_ENDPOINT"),
		KmsEndpoint:     need("OSS_KMS_ENDPOINT"),
		Region:          orDefault("OSS_REGION", "cn-hangzhou"),
		AccessKeyID:     need("OSS_ACCESS_KEY_ID"),
		AccessKeySecret: need("OSS_ACCESS_KEY_SECRET"),
		KmsKeyID:        orDefault("OSS_KMS_KEY_ID", "alias/oss-devserver"),
		Vectors:         need("OSS_CRYPTO_VECTORS"),
		BucketBin:       need("OSS_BUCKET_INTEROP_BIN"),
		OsscryptBin:     need("OSSCRYPT_BIN"),
		Work:            need("INTEROP_WORK_DIR"),
		bucketPrefix:    orDefault("OSS_BUCKET", "interop"),
	}
	e.PrivatePath, e.PrivatePEM = e.readKey("rsa1024-private-pkcs1.pem")
	e.PublicPath, e.PublicPEM = e.readKey("rsa1024-public-pkcs1.pem")
	return e
}

func (e *Env) readKey(name string) (string, string) {
	path := filepath.Join(e.Vectors, "keys", name)
	text, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "cannot read the test key: %v\n", err)
		os.Exit(2)
	}
	return path, string(text)
}

// Bucket is `<OSS_BUCKET prefix><suffix>`: each driver works in a bucket of its own.
func (e *Env) Bucket(suffix string) string { return e.bucketPrefix + suffix }

// Runner runs steps in order and prints one line per step.
type Runner struct {
	passed, failed int
}

// Step runs fn and prints `PASS name` or `FAIL name: error`.
func (r *Runner) Step(name string, fn func() error) {
	start := time.Now()
	err := fn()
	if err != nil {
		r.failed++
		fmt.Printf("FAIL %s: %v\n", name, err)
		return
	}
	r.passed++
	fmt.Printf("PASS %s (%.1fs)\n", name, time.Since(start).Seconds())
}

// Finish prints the closing `<name>: N passed, N failed` line and returns the exit status.
func (r *Runner) Finish(name string) int {
	fmt.Printf("%s: %d passed, %d failed\n", name, r.passed, r.failed)
	if r.failed > 0 {
		return 1
	}
	return 0
}

// Eq reports where got and want first differ.
func Eq(got, want []byte, what string) error {
	if bytes.Equal(got, want) {
		return nil
	}
	first := 0
	for first < len(got) && first < len(want) && got[first] == want[first] {
		first++
	}
	return fmt.Errorf("%s: %d bytes, expected %d; first difference at byte %d", what, len(got), len(want), first)
}

// Random returns n random bytes.
func Random(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return b
}

// Sizes are the single-PUT object sizes of the matrix.
var Sizes = []int{0, 1, 31, 1<<20 + 7}

// PartSize is the multipart part size of the matrix (100 KiB).
const PartSize = 100 * 1024

// MultipartData is 3 full parts and a tail.
func MultipartData() []byte { return Random(3*PartSize + 1234) }

// Range is one ranged read: the HTTP spelling and the plaintext bytes it selects.
type Range struct {
	Spec       string // `a-b`, `a-` or `-n`, without `bytes=`
	Start, End int    // the selected plaintext is data[Start:End]
	Suffix     bool
}

// Ranges are the ranged reads of an object of size n: unaligned (start and end inside a
// block), open-ended unaligned, and a suffix; none for an empty object.
func Ranges(n int) []Range {
	if n == 0 {
		return nil
	}
	start := min(17, n-1)
	end := min(n-1, start+(n-start)/2+3)
	suffix := min(n, 33)
	return []Range{
		{Spec: fmt.Sprintf("%d-%d", start, end), Start: start, End: end + 1},
		{Spec: fmt.Sprintf("%d-", n/2), Start: n / 2, End: n},
		{Spec: fmt.Sprintf("-%d", suffix), Start: n - suffix, End: n, Suffix: true},
	}
}

// Spanning is a range across the boundary of parts 1 and 2 of a multipart object.
func Spanning() Range {
	return Range{Spec: fmt.Sprintf("%d-%d", PartSize-5, PartSize+9), Start: PartSize - 5, End: PartSize + 10}
}

// Select is the plaintext the range selects.
func (r Range) Select(data []byte) []byte { return data[r.Start:r.End] }

// TempFile writes data to a fresh file in the work directory.
func (e *Env) TempFile(data []byte) (string, error) {
	path := e.NewPath()
	return path, os.WriteFile(path, data, 0o600)
}

// NewPath is a fresh file name in the work directory.
func (e *Env) NewPath() string {
	e.files++
	return filepath.Join(e.Work, fmt.Sprintf("f%04d.bin", e.files))
}

func run(bin string, args []string) error {
	cmd := exec.Command(bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %v: %s", filepath.Base(bin), strings.Join(args[:min(len(args), 2)], " "), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// Keys are our side's master-key arguments of `bucket_interop`.
type Keys []string

// RsaKeys is the shared RSA pair.
func (e *Env) RsaKeys() Keys {
	return Keys{"--private-key", e.PrivatePath, "--public-key", e.PublicPath}
}

// KmsKeys is the dev server's KMS key, written in the given flavour (`oss2` or `go-java`).
func (e *Env) KmsKeys(flavour string) Keys {
	return Keys{"--kms-endpoint", e.KmsEndpoint, "--kms-key-id", e.KmsKeyID, "--kms-region", e.Region, "--kms-flavour", flavour}
}

// Rust runs `bucket_interop command` for bucket/key with file and extra arguments.
func (e *Env) Rust(command, bucket, key, file string, extra ...string) error {
	args := []string{command, "--endpoint", e.Endpoint, "--region", e.Region, "--access-key-id", e.AccessKeyID,
		"--access-key-secret", e.AccessKeySecret, "--bucket", bucket, "--key", key, "--file", file}
	return run(e.BucketBin, append(args, extra...))
}

// RustPut writes data through our library.
func (e *Env) RustPut(bucket, key string, data []byte, keys Keys) error {
	path, err := e.TempFile(data)
	if err != nil {
		return err
	}
	return e.Rust("put", bucket, key, path, keys...)
}

// RustMultipart writes data through our multipart upload with the matrix part size.
func (e *Env) RustMultipart(bucket, key string, data []byte, keys Keys) error {
	path, err := e.TempFile(data)
	if err != nil {
		return err
	}
	return e.Rust("multipart-put", bucket, key, path, append([]string{"--part-size", fmt.Sprint(PartSize)}, keys...)...)
}

// RustGet reads an object, or a range of it when spec is not empty, through our library.
func (e *Env) RustGet(bucket, key, spec string, keys Keys) ([]byte, error) {
	path := e.NewPath()
	var err error
	if spec == "" {
		err = e.Rust("get", bucket, key, path, keys...)
	} else {
		err = e.Rust("get-range", bucket, key, path, append([]string{"--range=" + spec}, keys...)...)
	}
	if err != nil {
		return nil, err
	}
	return os.ReadFile(path)
}

// CliGet reads an object, or a range of it, through `osscrypt get` with the RSA private key
// or, when kms is true, the dev server's KMS key.
func (e *Env) CliGet(bucket, key, spec string, kms bool) ([]byte, error) {
	path := e.NewPath()
	args := []string{"get", fmt.Sprintf("oss://%s/%s", bucket, key), path, "--quiet", "--endpoint", e.Endpoint,
		"--region", e.Region, "--access-key-id", e.AccessKeyID, "--access-key-secret", e.AccessKeySecret,
		"--kms-endpoint", e.KmsEndpoint}
	if kms {
		args = append(args, "--kms-key-id", e.KmsKeyID)
	} else {
		args = append(args, "--rsa-private", e.PrivatePath)
	}
	if spec != "" {
		args = append(args, "--range="+spec)
	}
	if err := run(e.OsscryptBin, args); err != nil {
		return nil, err
	}
	return os.ReadFile(path)
}

// RustResumable writes data through our resumable upload (matrix part size, 3 in flight).
func (e *Env) RustResumable(bucket, key string, data []byte, keys Keys) error {
	path, err := e.TempFile(data)
	if err != nil {
		return err
	}
	return e.Rust("resumable-upload", bucket, key, path, append([]string{"--part-size",
		fmt.Sprint(PartSize), "--concurrency", "3", "--checkpoint-dir", e.Work}, keys...)...)
}

// KmsHost is the KMS endpoint without its scheme (`127.0.0.1:port`).
func (e *Env) KmsHost() string {
	host, _ := strings.CutPrefix(e.KmsEndpoint, "http://")
	return strings.TrimSuffix(host, "/")
}

// withWhole is the whole-object read followed by ranges.
func withWhole(data []byte, ranges []Range) []Range {
	return append([]Range{{Start: 0, End: len(data)}}, ranges...)
}

// CheckLibraryReads reads bucket/key whole and by every range through our library only.
func (e *Env) CheckLibraryReads(bucket, key string, data []byte, ranges []Range, keys Keys) error {
	for _, r := range withWhole(data, ranges) {
		got, err := e.RustGet(bucket, key, r.Spec, keys)
		if err != nil {
			return err
		}
		if err := Eq(got, r.Select(data), "library read "+label(r)); err != nil {
			return err
		}
	}
	return nil
}

// CheckOurReads reads bucket/key whole and by every range through our library and the CLI,
// comparing with data.
func (e *Env) CheckOurReads(bucket, key string, data []byte, ranges []Range, keys Keys, kms bool) error {
	if err := e.CheckLibraryReads(bucket, key, data, ranges, keys); err != nil {
		return err
	}
	for _, r := range withWhole(data, ranges) {
		got, err := e.CliGet(bucket, key, r.Spec, kms)
		if err != nil {
			return err
		}
		if err := Eq(got, r.Select(data), "osscrypt get "+label(r)); err != nil {
			return err
		}
	}
	return nil
}

func label(r Range) string {
	if r.Spec == "" {
		return "whole"
	}
	return "range " + r.Spec
}

// Label names a range in messages.
func Label(r Range) string { return label(r) }

// CheckPeerRange compares a peer's ranged read with the plaintext. A suffix range that starts
// past byte 0 is the known Go v1/v2 bug (spec §12.2 item 7: Go parses `-N` as offset 0 and
// decrypts the last N bytes with the counter of offset 0), so there the peer's result must have
// the right length and wrong bytes; a fixed SDK fails the step so the expectation is revisited.
// Our own reads of the same range are always checked exactly (CheckOurReads).
func CheckPeerRange(got, data []byte, r Range, who string) error {
	want := r.Select(data)
	if r.Suffix && r.Start > 0 && who != "Java" {
		if bytes.Equal(got, want) {
			return fmt.Errorf("%s suffix read %s is now correct: the known suffix-range bug is fixed, update the expectation", who, r.Spec)
		}
		if len(got) != len(want) {
			return fmt.Errorf("%s suffix read %s: %d bytes, expected %d (with the known counter bug)", who, r.Spec, len(got), len(want))
		}
		return nil
	}
	return Eq(got, want, who+" read "+label(r))
}
