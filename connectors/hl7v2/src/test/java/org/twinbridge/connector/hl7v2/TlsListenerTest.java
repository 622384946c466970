package org.twinbridge.connector.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MLLP over TLS: the listener presents the configured key; with a trust store it also requires the sender's
 * client certificate (mutual TLS). Keys are made with the JDK's keytool in a temporary directory.
 */
class TlsListenerTest {

    private static final String PASSWORD = "tls-test-password";
    @TempDir
    static Path dir;
    private static Path passwordFile;

    @BeforeAll
    static void makeKeys() throws Exception {
        passwordFile = Files.writeString(dir.resolve("password"), PASSWORD);
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", dir.resolve("server.p12").toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-genkeypair", "-alias", "lab", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=lab-sender", "-storetype", "PKCS12", "-keystore", dir.resolve("lab.p12").toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-alias", "lab", "-keystore", dir.resolve("lab.p12").toString(), "-storepass", PASSWORD,
                "-file", dir.resolve("lab.cer").toString());
        keytool("-importcert", "-noprompt", "-alias", "lab", "-file", dir.resolve("lab.cer").toString(),
                "-storetype", "PKCS12", "-keystore", dir.resolve("senders.p12").toString(), "-storepass", PASSWORD);
    }

    @Test
    void tlsListener_acknowledgesOverTls_andRefusesPlainTcp() throws Exception {
        try (Hl7Harness lab = Hl7Harness.start(Map.of("tls", Map.of("keystore", dir.resolve("server.p12").toString(),
                "password-file", passwordFile.toString())))) {
            try (MllpClient client = MllpClient.connect(client(false), lab.port())) {
                assertThat(AckView.of(client.send(TestMessages.resource("msft_ORU-R01-RMGEAD.hl7"))).code())
                        .isEqualTo("AA");
            }
            try (MllpClient plain = lab.client()) {
                assertThatThrownBy(() -> plain.send(TestMessages.resource("msft_ORU-R01-RMGEAD.hl7")))
                        .isInstanceOf(IOException.class);
            }
            assertThat(lab.journal().commits()).isEqualTo(1);
        }
    }

    @Test
    void mutualTls_acceptsATrustedSender_andRefusesOneWithoutACertificate() throws Exception {
        try (Hl7Harness lab = Hl7Harness.start(Map.of("tls", Map.of("keystore", dir.resolve("server.p12").toString(),
                "password-file", passwordFile.toString(), "truststore", dir.resolve("senders.p12").toString(),
                "truststore-password-file", passwordFile.toString())))) {
            try (MllpClient anonymous = MllpClient.connect(client(false), lab.port())) {
                assertThatThrownBy(() -> anonymous.send(TestMessages.resource("msft_ORU-R01-RMGEAD.hl7")))
                        .isInstanceOf(IOException.class);
            }
            try (MllpClient trusted = MllpClient.connect(client(true), lab.port())) {
                assertThat(AckView.of(trusted.send(TestMessages.resource("msft_ORU-R01-RMGEAD.hl7"))).code())
                        .isEqualTo("AA");
            }
            assertThat(lab.journal().commits()).isEqualTo(1);
        }
    }

    /** A sender's TLS socket factory: trusts the server's certificate, and presents the lab's if asked to. */
    private static SSLSocketFactory client(boolean withCertificate) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load("server.p12"));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(withCertificate ? load("lab.p12") : null, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context.getSocketFactory();
    }

    private static KeyStore load(String name) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(name))) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }
}
