package ossinterop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A TLS front for the dev server's plain-HTTP KMS on 127.0.0.1. Java's KmsEncryptionMaterials
 * sends every KMS request with protocol HTTPS (spec kms-api §6.2), so the driver makes a
 * self-signed certificate for 127.0.0.1 with keytool, trusts it JVM-wide, and forwards each
 * accepted connection byte for byte to the KMS port. Nothing in the requests is changed.
 */
final class KmsTls {
    // The keystore only holds the throwaway certificate of this loopback front.
    private static final String STORE_PASSWORD = "interop-loopback";
    private final SSLServerSocket server;
    private final URI upstream;

    private KmsTls(SSLServerSocket server, URI upstream) {
        this.server = server;
        this.upstream = upstream;
    }

    /** Creates the certificate, trusts it, and starts forwarding to `kmsEndpoint`. */
    static KmsTls start(Path work, String kmsEndpoint) throws Exception {
        Path store = work.resolve("kms-tls.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "kms", "-keyalg", "RSA",
                "-keysize", "2048", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", STORE_PASSWORD, "-noprompt"))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, STORE_PASSWORD.toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, STORE_PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        // Must be set before any client builds its SSL context.
        System.setProperty("javax.net.ssl.trustStore", store.toString());
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        System.setProperty("javax.net.ssl.trustStorePassword", STORE_PASSWORD);
        KmsTls tls = new KmsTls(server, URI.create(kmsEndpoint));
        Thread acceptor = new Thread(tls::acceptLoop, "kms-tls-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return tls;
    }

    /** `127.0.0.1:port` of the TLS front. */
    String hostPort() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket kms = new Socket(upstream.getHost(), upstream.getPort());
                pipe(client, kms);
                pipe(kms, client);
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("kms tls front: " + e);
                }
            }
        }
    }

    /** Copies from's input to to's output on a daemon thread, closing both at the end. */
    private static void pipe(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // The other direction closed the sockets: the connection is over.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "kms-tls-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Already closed.
        }
    }
}
