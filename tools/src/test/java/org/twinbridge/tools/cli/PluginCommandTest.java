package org.twinbridge.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.runtime.crypto.Certificates;
import org.twinbridge.runtime.testing.PluginJars;
import org.twinbridge.testplugins.RecorderTwin;
import org.twinbridge.testplugins.SnooperTwin;

/** A vendor signs with {@code plugin sign}; an operator checks with {@code plugin verify} and {@code plugin list}. */
class PluginCommandTest {

    @TempDir
    Path dir;
    private Path config;
    private Path vendorKeystore;
    private X509Certificate vendorCertificate;

    @BeforeEach
    void setUp() throws Exception {
        KeyPair keys = Certificates.ed25519();
        vendorCertificate = Certificates.selfSigned(keys, "CN=Acme Twins,O=Acme", Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(90)), Certificates.Usage.CODE_SIGNING);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("acme", keys.getPrivate(), "vendor-secret".toCharArray(), new Certificate[] {vendorCertificate});
        vendorKeystore = dir.resolve("acme-signing.p12");
        try (var out = Files.newOutputStream(vendorKeystore)) {
            store.store(out, "vendor-secret".toCharArray());
        }
        Files.writeString(dir.resolve("signing-password"), "vendor-secret\n");
        Files.createDirectories(dir.resolve("trust"));
        config = dir.resolve("node.yaml");
        Files.writeString(config, """
                node: { id: n1, data-dir: ./data }
                plugins: { dir: ./plugins, trust-store: ./trust }
                """);
    }

    @Test
    void sign_thenVerifyAgainstATrustStoreHoldingTheVendor_passes_andAnAlteredByteFails() throws Exception {
        Path jar = PluginJars.write(dir.resolve("plugins/recorder.jar"), RecorderTwin.ID, RecorderTwin.class);
        Files.writeString(dir.resolve("trust/acme.pem"), "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(vendorCertificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n");

        CliRun sign = CliRun.of("plugin", "sign", "--key", vendorKeystore.toString(), "--password-file",
                dir.resolve("signing-password").toString(), jar.toString());
        CliRun verify = CliRun.of("plugin", "verify", "-c", config.toString(), jar.toString());
        byte[] bytes = Files.readAllBytes(jar);
        bytes[bytes.length - 30] ^= 0x01;
        Files.write(jar, bytes);
        CliRun altered = CliRun.of("plugin", "verify", "-c", config.toString(), jar.toString());

        assertThat(sign.exitCode()).as(sign.err()).isZero();
        assertThat(sign.out()).contains("recorder.jar.sig").contains("CN=Acme Twins");
        assertThat(Files.exists(dir.resolve("plugins/recorder.jar.sig"))).isTrue();
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("recorder-twin 1.0.0").contains("TB-SIGN-000").contains("Would load");
        assertThat(altered.exitCode()).isEqualTo(1);
        assertThat(altered.out()).contains("TB-SIGN-002");
    }

    @Test
    void sign_withoutAPasswordSource_isBadInput_andNeverTakesThePasswordAsAnArgument() throws Exception {
        Path jar = PluginJars.write(dir.resolve("plugins/recorder.jar"), RecorderTwin.ID, RecorderTwin.class);

        CliRun sign = CliRun.of("plugin", "sign", "--key", vendorKeystore.toString(), "--password-env",
                "TB_TEST_UNSET_VARIABLE", jar.toString());
        CliRun inline = CliRun.of("plugin", "sign", "--key", vendorKeystore.toString(), "--password",
                "vendor-secret", jar.toString());

        assertThat(sign.exitCode()).isEqualTo(2);
        assertThat(sign.err()).contains("TB-SIGN-014").contains("TB_TEST_UNSET_VARIABLE");
        assertThat(inline.exitCode()).isEqualTo(2);
        assertThat(inline.err()).contains("Unknown option").doesNotContain("vendor-secret");
    }

    @Test
    void list_showsEachPluginItsSignerAndWhetherItLoads_withoutRunningIt() throws Exception {
        Path signed = PluginJars.write(dir.resolve("plugins/recorder.jar"), RecorderTwin.ID, RecorderTwin.class);
        PluginJars.write(dir.resolve("plugins/snooper.jar"), SnooperTwin.ID, SnooperTwin.class);
        Path connector = PluginJars.writeConnector(dir.resolve("plugins/snoop-connector.jar"),
                org.twinbridge.testplugins.connector.SnoopingConnector.ID,
                org.twinbridge.testplugins.connector.SnoopingConnector.class, "snoop");
        Files.writeString(dir.resolve("trust/acme.pem"), "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(vendorCertificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        CliRun.of("plugin", "sign", "--key", vendorKeystore.toString(), "--password-file",
                dir.resolve("signing-password").toString(), signed.toString());
        CliRun.of("plugin", "sign", "--key", vendorKeystore.toString(), "--password-file",
                dir.resolve("signing-password").toString(), connector.toString());

        CliRun list = CliRun.of("plugin", "list", "-c", config.toString());

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("require-signed: true")
                .containsPattern("recorder-twin\\s+twin\\s+1.0.0\\s+valid\\s+loads\\s+CN=Acme Twins")
                .containsPattern("snooper-twin\\s+twin\\s+1.0.0\\s+unsigned\\s+refused")
                .containsPattern("snooping-connector\\s+connector\\s+1.0.0\\s+valid\\s+loads\\s+CN=Acme Twins")
                .contains("connector types: snoop")
                .contains("runs: own process, sandboxed (bubblewrap")
                .contains("runs: IN THE NODE'S PROCESS, in its own class loader")
                .contains("3 plugin jar(s)");
    }
}
