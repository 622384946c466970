package org.twinbridge.connector.hl7v2;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.SSLContextServerParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorSettings;

/**
 * TLS for the MLLP listener: the server's key and certificate from a PKCS#12 (or JKS) keystore, and optionally
 * a trust store of client certificates, which turns on mutual TLS. Passwords come from an environment variable
 * or a file, never from the configuration. Both stores are loaded when the connector is configured, so a wrong
 * path or password is a configuration error, not a failure at the first connection. {@link #toString()} never
 * shows a password.
 */
final class TlsSettings {

    static final Set<String> KEYS = Set.of("keystore", "keystore-type", "password-env", "password-file",
            "truststore", "truststore-type", "truststore-password-env", "truststore-password-file", "client-auth");
    private final KeyStore keyStore;
    private final String keyPassword;
    private final Optional<KeyStore> trustStore;
    private final String clientAuth;

    private TlsSettings(KeyStore keyStore, String keyPassword, Optional<KeyStore> trustStore, String clientAuth) {
        this.keyStore = keyStore;
        this.keyPassword = keyPassword;
        this.trustStore = trustStore;
        this.clientAuth = clientAuth;
    }

    static Optional<TlsSettings> from(ConnectorSettings tls, boolean configured) throws ConnectorConfigException {
        if (!configured) {
            return Optional.empty();
        }
        for (String key : tls.asMap().keySet()) {
            if (!KEYS.contains(key)) {
                throw new ConnectorConfigException("tls", "'tls." + key + "' is not a TLS setting; expected "
                        + String.join(", ", new java.util.TreeSet<>(KEYS)));
            }
        }
        String password = secret(tls, "password");
        KeyStore keyStore = load(tls, "keystore", tls.requireString("keystore"), password);
        Optional<KeyStore> trustStore = Optional.empty();
        if (tls.string("truststore").isPresent()) {
            trustStore = Optional.of(load(tls, "truststore", tls.string("truststore").get(),
                    secret(tls, "truststore-password")));
        }
        String clientAuth = tls.string("client-auth").orElse(trustStore.isPresent() ? "require" : "none")
                .toLowerCase(Locale.ROOT);
        if (!Set.of("none", "want", "require").contains(clientAuth)) {
            throw new ConnectorConfigException("tls", "'tls.client-auth' must be none, want or require");
        }
        if (!clientAuth.equals("none") && trustStore.isEmpty()) {
            throw new ConnectorConfigException("tls", "'tls.client-auth: " + clientAuth
                    + "' needs 'tls.truststore' with the certificates of the senders' issuers");
        }
        return Optional.of(new TlsSettings(keyStore, password, trustStore, clientAuth));
    }

    /** The Camel TLS parameters for the MLLP server socket. */
    SSLContextParameters contextParameters() {
        KeyStoreParameters keys = new KeyStoreParameters();
        keys.setKeyStore(keyStore);
        KeyManagersParameters keyManagers = new KeyManagersParameters();
        keyManagers.setKeyStore(keys);
        keyManagers.setKeyPassword(keyPassword);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setKeyManagers(keyManagers);
        trustStore.ifPresent(store -> {
            KeyStoreParameters trusted = new KeyStoreParameters();
            trusted.setKeyStore(store);
            TrustManagersParameters trustManagers = new TrustManagersParameters();
            trustManagers.setKeyStore(trusted);
            parameters.setTrustManagers(trustManagers);
        });
        SSLContextServerParameters server = new SSLContextServerParameters();
        server.setClientAuthentication(clientAuth.toUpperCase(Locale.ROOT));
        parameters.setServerParameters(server);
        return parameters;
    }

    private static KeyStore load(ConnectorSettings tls, String key, String file, String password)
            throws ConnectorConfigException {
        String type = tls.string(key + "-type").orElse("PKCS12").toUpperCase(Locale.ROOT);
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password.toCharArray());
            return store;
        } catch (IOException | InvalidPathException e) {
            throw new ConnectorConfigException("tls", "'tls." + key + "' names " + file + ", which cannot be read "
                    + "as a " + type + " keystore with its password (" + e.getClass().getSimpleName() + ")");
        } catch (GeneralSecurityException e) {
            throw new ConnectorConfigException("tls", "'tls." + key + "' (" + file + ") is not a usable " + type
                    + " keystore (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String secret(ConnectorSettings tls, String name) throws ConnectorConfigException {
        Optional<String> env = tls.string(name + "-env");
        Optional<String> file = tls.string(name + "-file");
        if (env.isPresent() == file.isPresent()) {
            throw new ConnectorConfigException("tls", "'tls' needs exactly one of '" + name + "-env' or '" + name
                    + "-file'");
        }
        if (env.isPresent()) {
            String value = System.getenv(env.get());
            if (value == null || value.isEmpty()) {
                throw new ConnectorConfigException("tls", "'tls." + name + "-env' names environment variable "
                        + env.get() + ", which is not set or empty");
            }
            return value;
        }
        try {
            String value = Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                throw new ConnectorConfigException("tls", "'tls." + name + "-file' names " + file.get()
                        + ", which is empty");
            }
            return value;
        } catch (IOException | InvalidPathException e) {
            throw new ConnectorConfigException("tls", "'tls." + name + "-file' names " + file.get()
                    + ", which cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() {
        return "TlsSettings[client-auth=" + clientAuth + ", truststore=" + trustStore.isPresent() + "]";
    }
}
