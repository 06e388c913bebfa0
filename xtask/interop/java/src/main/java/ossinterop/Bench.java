package ossinterop;

import com.aliyun.oss.OSSEncryptionClient;
import com.aliyun.oss.OSSEncryptionClientBuilder;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.crypto.SimpleRSAEncryptionMaterials;
import com.aliyun.oss.model.DownloadFileRequest;
import com.aliyun.oss.model.UploadFileRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The Java side of the `bucket_bench` example of oss-crypto-bucket: the OSSEncryptionClient
 * (RSA materials) `uploadFile` with a checkpoint, then `downloadFile`, of one file against the
 * dev server the bench started, with the bench's part size and task count.
 *
 * <p>Usage: {@code Bench -endpoint URL -bucket NAME -private-key PEM -public-key PEM -file PATH
 * -key KEY -part-size BYTES -threads N}, with OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET in the
 * environment (the flags of the Go v2 bench driver; the private key in PKCS#1, the public key
 * in SPKI PEM, the spellings the SDK reads). Prints {@code java_size_bytes N}, {@code java_put_seconds S},
 * {@code java_get_seconds S} and, only when the download equals the input byte for byte,
 * {@code java_verified}.
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) throws Throwable {
        Map<String, String> flags = flags(args);
        Path file = Path.of(flag(flags, "file"));
        long partSize = Long.parseLong(flags.getOrDefault("part-size", String.valueOf(8 << 20)));
        int threads = Integer.parseInt(flags.getOrDefault("threads", "4"));
        String bucket = flag(flags, "bucket");
        String key = flags.getOrDefault("key", "java");
        OSSEncryptionClient client = new OSSEncryptionClientBuilder().build(flag(flags, "endpoint"),
                new DefaultCredentialProvider(Env.need("OSS_ACCESS_KEY_ID"), Env.need("OSS_ACCESS_KEY_SECRET")),
                new SimpleRSAEncryptionMaterials(keyPair(flags)));
        Path work = Files.createTempDirectory(file.toAbsolutePath().getParent(), "java-bench-");
        try {
            UploadFileRequest upload = new UploadFileRequest(bucket, key);
            upload.setUploadFile(file.toString());
            upload.setPartSize(partSize);
            upload.setTaskNum(threads);
            upload.setEnableCheckpoint(true);
            upload.setCheckpointFile(work.resolve("upload.ucp").toString());
            long start = System.nanoTime();
            client.uploadFile(upload);
            double put = (System.nanoTime() - start) / 1e9;

            Path out = work.resolve("download.bin");
            DownloadFileRequest download = new DownloadFileRequest(bucket, key);
            download.setDownloadFile(out.toString());
            download.setPartSize(partSize);
            download.setTaskNum(threads);
            start = System.nanoTime();
            client.downloadFile(download);
            double get = (System.nanoTime() - start) / 1e9;

            System.out.printf("java_size_bytes %d%njava_put_seconds %f%njava_get_seconds %f%n",
                    Files.size(file), put, get);
            if (!sameFiles(file, out)) {
                System.err.println("java bench: the download differs from the input");
                System.exit(1);
            }
            System.out.println("java_verified");
        } finally {
            client.shutdown();
            try (var paths = Files.walk(work)) {
                paths.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** `-name value` pairs. */
    private static Map<String, String> flags(String[] args) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("-")) {
                throw new IllegalArgumentException("expected a -flag, got " + args[i]);
            }
            flags.put(args[i].substring(1), args[i + 1]);
        }
        return flags;
    }

    private static String flag(Map<String, String> flags, String name) {
        String value = flags.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing -" + name);
        }
        return value;
    }

    private static KeyPair keyPair(Map<String, String> flags) throws IOException {
        return new KeyPair(
                SimpleRSAEncryptionMaterials.getPublicKeyFromPemX509(read(flag(flags, "public-key"))),
                SimpleRSAEncryptionMaterials.getPrivateKeyFromPemPKCS1(read(flag(flags, "private-key"))));
    }

    private static String read(String path) throws IOException {
        return Files.readString(Path.of(path), StandardCharsets.US_ASCII);
    }

    private static boolean sameFiles(Path a, Path b) throws IOException {
        try (InputStream ia = Files.newInputStream(a); InputStream ib = Files.newInputStream(b)) {
            byte[] ba = new byte[1 << 20];
            byte[] bb = new byte[1 << 20];
            while (true) {
                int na = ia.readNBytes(ba, 0, ba.length);
                int nb = ib.readNBytes(bb, 0, bb.length);
                if (na != nb || !Arrays.equals(ba, 0, na, bb, 0, nb)) {
                    return false;
                }
                if (na == 0) {
                    return true;
                }
            }
        }
    }
}
