package ossinterop;

import com.aliyun.oss.crypto.EncryptionMaterials;
import com.aliyun.oss.crypto.SimpleRSAEncryptionMaterials;
import com.aliyuncs.profile.DefaultProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The Java interop driver: the official Java SDK's OSSEncryptionClient against our CryptoBucket
 * on the dev server `cargo xtask interop` starts, both directions. `Main rsa` runs the RSA and
 * matdesc steps (driver `java`, the newest SDK release); `Main kms` the KMS steps at the dev
 * server's KMS (driver `java_kms`, the newest release that has KmsEncryptionMaterials).
 * One PASS/FAIL line per step.
 */
public final class Main {
    private final Env env = new Env();
    private final Ours ours = new Ours(env);
    private final Runner runner = new Runner();

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        String part = args.length > 0 ? args[0] : "rsa";
        int status;
        if (part.equals("kms")) {
            status = main.kms();
        } else {
            status = main.rsa();
        }
        System.exit(status);
    }

    private KeyPair primaryPair() throws Exception {
        return new KeyPair(
                SimpleRSAEncryptionMaterials.getPublicKeyFromPemX509(env.read(env.key("rsa1024-public-spki.pem"))),
                SimpleRSAEncryptionMaterials.getPrivateKeyFromPemPKCS1(env.read(env.key("rsa1024-private-pkcs1.pem"))));
    }

    private static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    /** A fresh second RSA pair, written for our side as PKCS#8 and SPKI PEM files. */
    private Ours.Keys secondPair(KeyPair pair, String matdesc) throws Exception {
        Path privatePem = env.newPath();
        Path publicPem = env.newPath();
        Files.writeString(privatePem, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(publicPem, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        return new Ours.Keys(List.of("--private-key", privatePem.toString(), "--public-key", publicPem.toString(),
                "--matdesc", matdesc), false);
    }

    /** Single PUTs of every size and multipart, both ways, for one master key. */
    private void matrix(Peer peer, String label, Ours.Keys keys) {
        String prefix = label.isEmpty() ? "" : label + "_";
        for (int n : Env.SIZES) {
            byte[] data = env.random(n);
            runner.step("java_" + prefix + "put_" + n + "_read_by_us", () -> {
                String key = "java/" + prefix + "put-" + n;
                peer.put(key, data);
                ours.checkReads(peer.bucket, key, data, Env.ranges(n), keys);
            });
            runner.step("our_" + prefix + "put_" + n + "_read_by_java", () -> {
                String key = "rust/" + prefix + "put-" + n;
                ours.put(peer.bucket, key, data, keys);
                peer.checkReads(key, data, Env.ranges(n));
            });
        }
        byte[] data = env.multipartData();
        List<Env.Range> ranges = Env.multipartRanges(data.length);
        runner.step("java_" + prefix + "multipart_read_by_us", () -> {
            peer.multipart("java/" + prefix + "multipart", data);
            ours.checkReads(peer.bucket, "java/" + prefix + "multipart", data, ranges, keys);
        });
        runner.step("our_" + prefix + "multipart_read_by_java", () -> {
            ours.multipart(peer.bucket, "rust/" + prefix + "multipart", data, keys);
            peer.checkReads("rust/" + prefix + "multipart", data, ranges);
        });
        runner.step("java_" + prefix + "upload_file_read_by_us", () -> {
            peer.uploadFile("java/" + prefix + "upload-file", data);
            ours.checkReads(peer.bucket, "java/" + prefix + "upload-file", data, List.of(Env.spanning()), keys);
        });
        runner.step("our_" + prefix + "resumable_upload_read_by_java_download_file", () -> {
            ours.resumable(peer.bucket, "rust/" + prefix + "resumable", data, keys);
            Env.eq(peer.downloadFile("rust/" + prefix + "resumable"), data, "Java downloadFile read");
        });
    }

    private int rsa() throws Exception {
        KeyPair one = primaryPair();
        Peer peer = new Peer(env, env.bucket("-java"), new SimpleRSAEncryptionMaterials(one));
        runner.step("create_bucket", peer::createBucket);
        matrix(peer, "", ours.rsa());
        twoKeys(one);
        return runner.finish("java");
    }

    /** Two RSA master keys told apart by matdesc, both ways. */
    private void twoKeys(KeyPair one) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        KeyPair two = generator.generateKeyPair();
        Map<String, String> descOne = Map.of("key", "one");
        Map<String, String> descTwo = Map.of("key", "two");
        Ours.Keys oursOne = new Ours.Keys(List.of("--private-key", env.key("rsa1024-private-pkcs1.pem").toString(),
                "--public-key", env.key("rsa1024-public-pkcs1.pem").toString(), "--matdesc", "{\"key\":\"one\"}"), false);
        Ours.Keys oursTwo = secondPair(two, "{\"key\":\"two\"}");
        // Our reader: default key one, key two registered by its matdesc.
        Ours.Keys oursBoth = new Ours.Keys(concat(oursOne.args(), List.of("--read-key",
                oursTwo.args().get(1) + ":{\"key\":\"two\"}")), false);
        String bucket = env.bucket("-java");
        Peer writerOne = new Peer(env, bucket, new SimpleRSAEncryptionMaterials(one, descOne));
        Peer writerTwo = new Peer(env, bucket, new SimpleRSAEncryptionMaterials(two, descTwo));
        SimpleRSAEncryptionMaterials both = new SimpleRSAEncryptionMaterials(one, descOne);
        both.addKeyPairDescMaterial(two, descTwo);
        Peer reader = new Peer(env, bucket, both);
        byte[][] data = {env.random(4099), env.random(4099)};
        runner.step("java_two_keys_by_matdesc_read_by_us", () -> {
            writerOne.put("java/matdesc-1", data[0]);
            writerTwo.put("java/matdesc-2", data[1]);
            ours.checkLibraryReads(bucket, "java/matdesc-1", data[0], Env.ranges(4099), oursBoth);
            ours.checkLibraryReads(bucket, "java/matdesc-2", data[1], Env.ranges(4099), oursBoth);
        });
        runner.step("our_two_keys_by_matdesc_read_by_java", () -> {
            ours.put(bucket, "rust/matdesc-1", data[0], oursOne);
            ours.put(bucket, "rust/matdesc-2", data[1], oursTwo);
            reader.checkReads("rust/matdesc-1", data[0], Env.ranges(4099));
            reader.checkReads("rust/matdesc-2", data[1], Env.ranges(4099));
        });
    }

    private static String chain(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            out.append(cause).append(" <- ");
        }
        return out.toString();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /**
     * KmsEncryptionMaterials by reflection: the class exists up to 3.18.4 only, and this source
     * also builds against the newest release for the RSA steps.
     */
    private EncryptionMaterials kmsMaterials() throws Exception {
        return (EncryptionMaterials) Class.forName("com.aliyun.oss.crypto.KmsEncryptionMaterials")
                .getConstructor(String.class, String.class).newInstance(env.region, env.kmsKeyId);
    }

    private int kms() throws Exception {
        KmsTls tls = KmsTls.start(env.work, env.kmsEndpoint);
        // The KMS client resolves its endpoint by region and product: point Kms at the TLS front.
        DefaultProfile.addEndpoint(env.region, "Kms", tls.hostPort());
        Peer peer = new Peer(env, env.bucket("-java-kms"), kmsMaterials());
        runner.step("create_bucket", peer::createBucket);
        matrix(peer, "kms", ours.kms("go-java"));
        runner.step("our_kms_oss2_put_not_readable_by_java", () -> {
            byte[] data = env.random(4099);
            ours.put(peer.bucket, "rust/kms-oss2", data, ours.kms("oss2"));
            ours.checkReads(peer.bucket, "rust/kms-oss2", data, Env.ranges(4099), ours.kms("oss2"));
            byte[] got;
            try {
                got = peer.get("rust/kms-oss2", Env.Range.whole(data));
            } catch (Exception e) {
                // The SDK wraps KMS's answer in exceptions without messages: search the chain.
                for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                    if (String.valueOf(cause.getMessage()).contains("The CiphertextBlob is invalid")) {
                        return;
                    }
                }
                throw new AssertionError("Java failed otherwise than by KMS refusing the blob: " + chain(e), e);
            }
            throw new AssertionError(java.util.Arrays.equals(got, data)
                    ? "Java now reads the oss2 KMS flavour: update the expectation"
                    : "Java returned " + got.length + " wrong bytes instead of an error");
        });
        return runner.finish("java_kms");
    }
}
