package org.twinbridge.connector.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorSettings;

/**
 * The connector's TLS: a client certificate from a PKCS#12 key store, the broker's CA from a trust store (PKCS#12
 * or a PEM bundle; the JVM's default CAs when none is given), and hostname verification on unless switched off.
 * Both files are read when the connector is configured, so a missing file or a wrong password stops the node at
 * start with a TB-CONFIG error that names the setting and the file, never the password.
 *
 * <p>Holds key material: {@link #toString()} prints which files were used, nothing else. Thread-safe.
 */
final class MqttTls {

    static final Set<String> KEYS = Set.of("keystore", "password-env", "password-file",
            "truststore", "truststore-password-env", "truststore-password-file", "hostname-verification");

    private final SSLSocketFactory socketFactory;
    private final boolean hostnameVerification;
    private final String description;

    private MqttTls(SSLSocketFactory socketFactory, boolean hostnameVerification, String description) {
        this.socketFactory = socketFactory;
        this.hostnameVerification = hostnameVerification;
        this.description = description;
    }

    /** The TLS of an {@code ssl://} broker from the {@code tls} section, which may be empty (JVM defaults). */
    static MqttTls from(ConnectorSettings tls, Path baseDir) throws ConnectorConfigException {
        for (String key : tls.asMap().keySet()) {
            if (!KEYS.contains(key)) {
                throw new ConnectorConfigException("tls", "unknown key 'tls." + key + "'; expected one of "
                        + new java.util.TreeSet<>(KEYS));
            }
        }
        boolean verify = hostnameVerification(tls);
        Optional<String> keyStoreName = tls.string("keystore");
        Optional<String> trustStoreName = tls.string("truststore");
        Optional<char[]> keyPassword = MqttSettings.secret(tls, "tls.", "password-env",
                "password-file", baseDir);
        Optional<char[]> trustPassword = MqttSettings.secret(tls, "tls.", "truststore-password-env",
                "truststore-password-file", baseDir);
        if (keyPassword.isPresent() && keyStoreName.isEmpty()) {
            throw new ConnectorConfigException("tls", "'tls.password-*' is given without 'tls.keystore'");
        }
        if (trustPassword.isPresent() && trustStoreName.isEmpty()) {
            throw new ConnectorConfigException("tls",
                    "'tls.truststore-password-*' is given without 'tls.truststore'");
        }
        try {
            KeyManagerFactory keys = null;
            if (keyStoreName.isPresent()) {
                char[] password = keyPassword.orElseThrow(() -> new ConnectorConfigException("tls",
                        "'tls.keystore' needs its password: give 'tls.password-env' (an environment "
                                + "variable) or 'tls.password-file'"));
                KeyStore store = pkcs12("tls.keystore", keyStoreName.get(), baseDir, password);
                if (!hasKeyEntry(store)) {
                    throw new ConnectorConfigException("tls", "'tls.keystore' " + keyStoreName.get()
                            + " holds no private key with a certificate; it must hold the client certificate and "
                            + "its key");
                }
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, password);
                Arrays.fill(password, '\0');
            }
            TrustManagerFactory trust = null;
            if (trustStoreName.isPresent()) {
                KeyStore store = trustStore(trustStoreName.get(), baseDir, trustPassword);
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
                trustPassword.ifPresent(p -> Arrays.fill(p, '\0'));
            }
            SSLContext context;
            if (keys == null && trust == null) {
                // Nothing configured: the JVM's default context, which also honours javax.net.ssl.* properties.
                context = SSLContext.getDefault();
            } else {
                context = SSLContext.getInstance("TLS");
                context.init(keys == null ? null : keys.getKeyManagers(),
                        trust == null ? null : trust.getTrustManagers(), null);
            }
            String description = "MqttTls[keystore=" + keyStoreName.orElse("none") + ", truststore="
                    + trustStoreName.orElse("JVM default") + ", hostname-verification=" + verify + "]";
            return new MqttTls(context.getSocketFactory(), verify, description);
        } catch (GeneralSecurityException e) {
            throw new ConnectorConfigException("tls", "the TLS settings cannot be used ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    SSLSocketFactory socketFactory() {
        return socketFactory;
    }

    /** Whether the broker's certificate must name the host of the broker URL (on unless switched off). */
    boolean hostnameVerification() {
        return hostnameVerification;
    }

    private static boolean hostnameVerification(ConnectorSettings tls) throws ConnectorConfigException {
        String text = tls.string("hostname-verification").orElse("true").trim();
        if (text.equals("true")) {
            return true;
        }
        if (text.equals("false")) {
            return false;
        }
        throw new ConnectorConfigException("tls", "'tls.hostname-verification' must be true or false, not '"
                + text + "'");
    }

    private static KeyStore pkcs12(String key, String name, Path baseDir, char[] password)
            throws ConnectorConfigException {
        Path file = readable(key, name, baseDir);
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConnectorConfigException("tls", "'" + key + "' " + name + " cannot be opened as a PKCS#12 "
                    + "file with the given password: the password is wrong or the file is not PKCS#12 ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** A PEM bundle of CA certificates, or a PKCS#12 trust store. */
    private static KeyStore trustStore(String name, Path baseDir, Optional<char[]> password)
            throws ConnectorConfigException {
        Path file = readable("tls.truststore", name, baseDir);
        KeyStore store;
        if (isPem(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                        .generateCertificates(in);
                store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                int i = 0;
                for (Certificate certificate : certificates) {
                    store.setCertificateEntry("ca-" + i++, certificate);
                }
            } catch (IOException | GeneralSecurityException e) {
                throw new ConnectorConfigException("tls", "'tls.truststore' " + name + " is not a readable PEM "
                        + "bundle of certificates (" + e.getClass().getSimpleName() + ")");
            }
        } else {
            store = pkcs12("tls.truststore", name, baseDir, password.orElse(null));
        }
        try {
            boolean anyCertificate = false;
            for (String alias : Collections.list(store.aliases())) {
                anyCertificate |= store.isCertificateEntry(alias);
            }
            if (!anyCertificate) {
                throw new ConnectorConfigException("tls", "'tls.truststore' " + name + " holds no trusted "
                        + "certificate; put the broker's CA certificate in it (a PKCS#12 store whose certificates "
                        + "are encrypted also needs 'tls.truststore-password-env' or '-file')");
            }
        } catch (GeneralSecurityException e) {
            throw new ConnectorConfigException("tls", "'tls.truststore' " + name + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
        return store;
    }

    private static boolean hasKeyEntry(KeyStore store) throws GeneralSecurityException {
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias) && store.getCertificate(alias) != null) {
                return true;
            }
        }
        return false;
    }

    private static Path readable(String key, String name, Path baseDir) throws ConnectorConfigException {
        Path file = baseDir.resolve(name).normalize();
        if (!Files.isRegularFile(file)) {
            throw new ConnectorConfigException("tls", "'" + key + "' names " + name + ", which does not exist or "
                    + "is not a file (relative paths start at the configuration file's directory)");
        }
        if (!Files.isReadable(file)) {
            throw new ConnectorConfigException("tls", "'" + key + "' names " + name + ", which cannot be read");
        }
        return file;
    }

    private static boolean isPem(Path file) throws ConnectorConfigException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(64);
            return new String(head, StandardCharsets.US_ASCII).contains("-----BEGIN");
        } catch (IOException e) {
            throw new ConnectorConfigException("tls", "'tls.truststore' cannot be read");
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
