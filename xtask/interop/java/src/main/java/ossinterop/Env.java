package ossinterop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The environment `cargo xtask interop` sets, the test data of the matrix and the work files. */
final class Env {
    /** Single-PUT sizes of the matrix. */
    static final int[] SIZES = {0, 1, 31, (1 << 20) + 7};
    /** Multipart part size of the matrix (100 KiB). */
    static final int PART_SIZE = 100 * 1024;

    final String endpoint = need("OSS_ENDPOINT");
    final String kmsEndpoint = need("OSS_KMS_ENDPOINT");
    final String region = orDefault("OSS_REGION", "cn-hangzhou");
    final String accessKeyId = need("OSS_ACCESS_KEY_ID");
    final String accessKeySecret = need("OSS_ACCESS_KEY_SECRET");
    final String kmsKeyId = orDefault("OSS_KMS_KEY_ID", "alias/oss-devserver");
    final Path vectors = Path.of(need("OSS_CRYPTO_VECTORS"));
    final String bucketBin = need("OSS_BUCKET_INTEROP_BIN");
    final String osscryptBin = need("OSSCRYPT_BIN");
    final Path work = Path.of(need("INTEROP_WORK_DIR"));
    final String bucketPrefix = orDefault("OSS_BUCKET", "interop");
    private final SecureRandom random = new SecureRandom();
    private int files;

    static String need(String name) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) {
            System.err.println("missing environment variable " + name);
            System.exit(2);
        }
        return value;
    }

    static String orDefault(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    String bucket(String suffix) {
        return bucketPrefix + suffix;
    }

    Path key(String name) {
        return vectors.resolve("keys").resolve(name);
    }

    String read(Path path) throws IOException {
        return Files.readString(path, StandardCharsets.US_ASCII);
    }

    byte[] random(int n) {
        byte[] data = new byte[n];
        random.nextBytes(data);
        return data;
    }

    /** Three full parts and a tail. */
    byte[] multipartData() {
        return random(3 * PART_SIZE + 1234);
    }

    Path newPath() {
        files++;
        return work.resolve(String.format("j%04d.bin", files));
    }

    Path tempFile(byte[] data) throws IOException {
        Path path = newPath();
        Files.write(path, data);
        return path;
    }

    /** A ranged read: its HTTP spelling and the plaintext bytes `[start, end)` it selects. */
    record Range(String spec, int start, int end) {
        static Range whole(byte[] data) {
            return new Range("", 0, data.length);
        }

        byte[] select(byte[] data) {
            return Arrays.copyOfRange(data, start, end);
        }

        boolean closed() {
            return !spec.isEmpty() && !spec.startsWith("-") && !spec.endsWith("-");
        }

        String label() {
            return spec.isEmpty() ? "whole" : "range " + spec;
        }
    }

    /** Unaligned, open-ended and suffix ranges of an object of size n (none when empty). */
    static List<Range> ranges(int n) {
        List<Range> out = new ArrayList<>();
        if (n == 0) {
            return out;
        }
        int start = Math.min(17, n - 1);
        int end = Math.min(n - 1, start + (n - start) / 2 + 3);
        int suffix = Math.min(n, 33);
        out.add(new Range(start + "-" + end, start, end + 1));
        out.add(new Range((n / 2) + "-", n / 2, n));
        out.add(new Range("-" + suffix, n - suffix, n));
        return out;
    }

    /** A range across the boundary of parts 1 and 2. */
    static Range spanning() {
        return new Range((PART_SIZE - 5) + "-" + (PART_SIZE + 9), PART_SIZE - 5, PART_SIZE + 10);
    }

    static List<Range> multipartRanges(int n) {
        List<Range> out = ranges(n);
        out.add(spanning());
        return out;
    }

    /** Fails with the first differing byte when got is not want. */
    static void eq(byte[] got, byte[] want, String what) {
        if (Arrays.equals(got, want)) {
            return;
        }
        int first = Arrays.mismatch(got, want);
        throw new AssertionError(what + ": " + got.length + " bytes, expected " + want.length
                + "; first difference at byte " + first);
    }
}
