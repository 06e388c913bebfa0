package ossinterop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Our side: the `bucket_interop` example (library) and the `osscrypt` binary. */
final class Ours {
    private final Env env;

    Ours(Env env) {
        this.env = env;
    }

    /** Master-key arguments of `bucket_interop`. */
    record Keys(List<String> args, boolean kms) {
    }

    Keys rsa() {
        return new Keys(List.of("--private-key", env.key("rsa1024-private-pkcs1.pem").toString(),
                "--public-key", env.key("rsa1024-public-pkcs1.pem").toString()), false);
    }

    /** The dev server's KMS key, written in the `go-java` or `oss2` flavour. */
    Keys kms(String flavour) {
        return new Keys(List.of("--kms-endpoint", env.kmsEndpoint, "--kms-key-id", env.kmsKeyId,
                "--kms-region", env.region, "--kms-flavour", flavour), true);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String stderr = new String(process.getErrorStream().readAllBytes()).trim();
        if (process.waitFor() != 0) {
            String name = Path.of(command.get(0)).getFileName().toString();
            throw new IOException(name + " " + command.get(1) + ": " + stderr);
        }
    }

    private void bucketInterop(String command, String bucket, String key, Path file, Keys keys, String... extra)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(env.bucketBin, command, "--endpoint", env.endpoint, "--region",
                env.region, "--access-key-id", env.accessKeyId, "--access-key-secret", env.accessKeySecret,
                "--bucket", bucket, "--key", key, "--file", file.toString()));
        args.addAll(Arrays.asList(extra));
        args.addAll(keys.args());
        run(args);
    }

    void put(String bucket, String key, byte[] data, Keys keys) throws Exception {
        bucketInterop("put", bucket, key, env.tempFile(data), keys);
    }

    void multipart(String bucket, String key, byte[] data, Keys keys) throws Exception {
        bucketInterop("multipart-put", bucket, key, env.tempFile(data), keys, "--part-size",
                String.valueOf(Env.PART_SIZE));
    }

    void resumable(String bucket, String key, byte[] data, Keys keys) throws Exception {
        bucketInterop("resumable-upload", bucket, key, env.tempFile(data), keys, "--part-size",
                String.valueOf(Env.PART_SIZE), "--concurrency", "3", "--checkpoint-dir", env.work.toString());
    }

    byte[] libraryGet(String bucket, String key, String spec, Keys keys) throws Exception {
        Path out = env.newPath();
        if (spec.isEmpty()) {
            bucketInterop("get", bucket, key, out, keys);
        } else {
            bucketInterop("get-range", bucket, key, out, keys, "--range=" + spec);
        }
        return Files.readAllBytes(out);
    }

    byte[] cliGet(String bucket, String key, String spec, boolean kms) throws Exception {
        Path out = env.newPath();
        List<String> args = new ArrayList<>(List.of(env.osscryptBin, "get", "oss://" + bucket + "/" + key,
                out.toString(), "--quiet", "--endpoint", env.endpoint, "--region", env.region, "--access-key-id",
                env.accessKeyId, "--access-key-secret", env.accessKeySecret, "--kms-endpoint", env.kmsEndpoint));
        if (kms) {
            args.addAll(List.of("--kms-key-id", env.kmsKeyId));
        } else {
            args.addAll(List.of("--rsa-private", env.key("rsa1024-private-pkcs1.pem").toString()));
        }
        if (!spec.isEmpty()) {
            args.add("--range=" + spec);
        }
        run(args);
        return Files.readAllBytes(out);
    }

    /** Reads whole and by every range through our library only. */
    void checkLibraryReads(String bucket, String key, byte[] data, List<Env.Range> ranges, Keys keys)
            throws Exception {
        List<Env.Range> cases = new ArrayList<>(List.of(Env.Range.whole(data)));
        cases.addAll(ranges);
        for (Env.Range r : cases) {
            Env.eq(libraryGet(bucket, key, r.spec(), keys), r.select(data), "library read " + r.label());
        }
    }

    /** Reads whole and by every range through our library and `osscrypt get`. */
    void checkReads(String bucket, String key, byte[] data, List<Env.Range> ranges, Keys keys) throws Exception {
        checkLibraryReads(bucket, key, data, ranges, keys);
        List<Env.Range> cases = new ArrayList<>(List.of(Env.Range.whole(data)));
        cases.addAll(ranges);
        for (Env.Range r : cases) {
            Env.eq(cliGet(bucket, key, r.spec(), keys.kms()), r.select(data), "osscrypt get " + r.label());
        }
    }
}
