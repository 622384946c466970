package org.twinbridge.runtime.api.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Collections;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.twinbridge.runtime.config.ConfigException;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.config.SecretRef;

/**
 * Builds Jetty's TLS context from {@code api.tls}. The stores are loaded here, not by Jetty, so that a missing file
 * or a wrong password is a TB-API-004 naming the file before the port is opened. Jetty's defaults already exclude
 * SSLv3, TLS 1.0/1.1 and weak cipher suites.
 */
final class ApiTlsStores {

    private ApiTlsStores() {
    }

    static SslContextFactory.Server contextFactory(NodeConfig.ApiTls tls) throws IOException {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        char[] password = reveal(tls.keystorePassword(), tls.keystore());
        try {
            KeyStore keys = load(tls.keystore(), password, "api.tls.keystore");
            if (Collections.list(aliases(keys, tls.keystore())).stream().noneMatch(a -> isKey(keys, a))) {
                throw new IOException("TB-API-004 the API keystore " + tls.keystore().getFileName()
                        + " (api.tls.keystore) holds no private key with a certificate");
            }
            factory.setKeyStore(keys);
            factory.setKeyStorePassword(new String(password));
        } finally {
            Arrays.fill(password, '\0');
        }
        if (tls.truststore().isPresent()) {
            Path file = tls.truststore().get();
            char[] trustPassword = reveal(tls.truststorePassword().orElseThrow(), file);
            try {
                factory.setTrustStore(load(file, trustPassword, "api.tls.truststore"));
            } finally {
                Arrays.fill(trustPassword, '\0');
            }
            factory.setNeedClientAuth(true);
        }
        return factory;
    }

    private static KeyStore load(Path file, char[] password, String key) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("TB-API-004 " + key + " " + file + " does not exist or is not a file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IOException("TB-API-004 cannot read " + key + " " + file.getFileName() + " as PKCS#12 with "
                    + "its password (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static java.util.Enumeration<String> aliases(KeyStore store, Path file) throws IOException {
        try {
            return store.aliases();
        } catch (java.security.KeyStoreException e) {
            throw new IOException("TB-API-004 cannot list " + file.getFileName(), e);
        }
    }

    private static boolean isKey(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias) && store.getCertificate(alias) != null;
        } catch (java.security.KeyStoreException e) {
            return false;
        }
    }

    private static char[] reveal(SecretRef secret, Path store) throws IOException {
        try {
            return secret.reveal();
        } catch (ConfigException e) {
            throw new IOException("TB-API-004 the password of " + store.getFileName() + " cannot be read: "
                    + e.getMessage(), e);
        }
    }
}
