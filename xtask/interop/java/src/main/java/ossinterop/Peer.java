package ossinterop;

import com.aliyun.oss.OSSEncryptionClient;
import com.aliyun.oss.OSSEncryptionClientBuilder;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.crypto.EncryptionMaterials;
import com.aliyun.oss.crypto.MultipartUploadCryptoContext;
import com.aliyun.oss.model.CompleteMultipartUploadRequest;
import com.aliyun.oss.model.DownloadFileRequest;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.PartETag;
import com.aliyun.oss.model.PutObjectRequest;
import com.aliyun.oss.model.UploadFileRequest;
import com.aliyun.oss.model.UploadPartRequest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The Java SDK's OSSEncryptionClient for one set of encryption materials. */
final class Peer {
    private final Env env;
    private final OSSEncryptionClient client;
    final String bucket;

    Peer(Env env, String bucket, EncryptionMaterials materials) {
        this.env = env;
        this.bucket = bucket;
        this.client = new OSSEncryptionClientBuilder().build(env.endpoint,
                new DefaultCredentialProvider(env.accessKeyId, env.accessKeySecret), materials);
    }

    void put(String key, byte[] data) {
        client.putObject(new PutObjectRequest(bucket, key, new ByteArrayInputStream(data)));
    }

    /** A whole read, or a closed range `a-b` (Java cannot express open or suffix ranges). */
    byte[] get(String key, Env.Range range) throws Exception {
        GetObjectRequest request = new GetObjectRequest(bucket, key);
        if (!range.spec().isEmpty()) {
            request.setRange(range.start(), range.end() - 1);
        }
        OSSObject object = client.getObject(request);
        try (InputStream body = object.getObjectContent()) {
            return body.readAllBytes();
        }
    }

    /**
     * Reads whole and by every range Java can express: closed ranges only (spec §12.2 item 7:
     * it cannot express suffix ranges and rejects open ones and `0-0`).
     */
    void checkReads(String key, byte[] data, List<Env.Range> ranges) throws Exception {
        Env.eq(get(key, Env.Range.whole(data)), data, "Java read whole");
        for (Env.Range r : ranges) {
            if (r.closed() && !r.spec().equals("0-0")) {
                Env.eq(get(key, r), r.select(data), "Java read " + r.label());
            }
        }
    }

    void multipart(String key, byte[] data) {
        MultipartUploadCryptoContext context = new MultipartUploadCryptoContext();
        context.setPartSize(Env.PART_SIZE);
        context.setDataSize(data.length);
        String uploadId = client.initiateMultipartUpload(new InitiateMultipartUploadRequest(bucket, key), context)
                .getUploadId();
        List<PartETag> tags = new ArrayList<>();
        for (int n = 1, off = 0; off < data.length; n++, off += Env.PART_SIZE) {
            int len = Math.min(Env.PART_SIZE, data.length - off);
            UploadPartRequest part = new UploadPartRequest(bucket, key, uploadId, n,
                    new ByteArrayInputStream(data, off, len), len);
            tags.add(client.uploadPart(part, context).getPartETag());
        }
        client.completeMultipartUpload(new CompleteMultipartUploadRequest(bucket, key, uploadId, tags), context);
    }

    /** The resumable `uploadFile` with a checkpoint (3 parts in flight). */
    void uploadFile(String key, byte[] data) throws Throwable {
        UploadFileRequest request = new UploadFileRequest(bucket, key);
        request.setUploadFile(env.tempFile(data).toString());
        request.setPartSize(Env.PART_SIZE);
        request.setTaskNum(3);
        request.setEnableCheckpoint(true);
        request.setCheckpointFile(env.newPath() + ".ucp");
        client.uploadFile(request);
    }

    /** The resumable `downloadFile` with a checkpoint. */
    byte[] downloadFile(String key) throws Throwable {
        Path out = env.newPath();
        DownloadFileRequest request = new DownloadFileRequest(bucket, key);
        request.setDownloadFile(out.toString());
        request.setPartSize(Env.PART_SIZE);
        request.setTaskNum(3);
        request.setEnableCheckpoint(true);
        request.setCheckpointFile(env.newPath() + ".dcp");
        client.downloadFile(request);
        return Files.readAllBytes(out);
    }

    void createBucket() {
        client.createBucket(bucket);
    }
}
