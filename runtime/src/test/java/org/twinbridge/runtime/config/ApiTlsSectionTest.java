package org.twinbridge.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.twinbridge.policy.yaml.LocatedError;

/** {@code api.tls}: the keystore, its password, and client certificates that need a truststore. */
class ApiTlsSectionTest {

    private static final Path BASE = Path.of("/etc/twinbridge");
    private static final String OIDC = "  oidc: { issuer: \"https://sso.example/realms/tb\", audience: tb }\n";
    private final ConfigLoader loader = new ConfigLoader(Map.of());

    private NodeConfig.Api parse(String tls) throws ConfigException {
        return loader.parse("node.yaml", BASE, new StringReader("node: { id: a1 }\napi:\n" + OIDC + tls)).api()
                .orElseThrow();
    }

    private List<LocatedError> errorsOf(String tls) {
        return catchThrowableOfType(ConfigException.class, () -> parse(tls)).errors();
    }

    @Test
    void noTls_isPlainHttp() throws Exception {
        assertThat(parse("").tls()).isEmpty();
    }

    @Test
    void keystoreOnly_isTlsWithoutClientCertificates() throws Exception {
        NodeConfig.ApiTls tls = parse("  tls: { keystore: ./api.p12, password-file: ./api.pw }\n").tls()
                .orElseThrow();

        assertThat(tls.keystore()).isEqualTo(BASE.resolve("./api.p12"));
        assertThat(((SecretRef.FromFile) tls.keystorePassword()).file()).isEqualTo(BASE.resolve("./api.pw"));
        assertThat(tls.clientCertificatesRequired()).isFalse();
    }

    @Test
    void requiredClientCertificates_withTruststore_areRead() throws Exception {
        NodeConfig.ApiTls tls = parse("""
                  tls:
                    keystore: ./api.p12
                    password-env: TB_API_TLS_PASSWORD
                    client-auth: require
                    truststore: ./clients-ca.p12
                    truststore-password-file: ./clients-ca.pw
                """).tls().orElseThrow();

        assertThat(tls.clientCertificatesRequired()).isTrue();
        assertThat(tls.truststore()).contains(BASE.resolve("./clients-ca.p12"));
        assertThat(tls.keystorePassword()).isInstanceOf(SecretRef.FromEnv.class);
    }

    @Test
    void truststore_alone_meansClientCertificatesAreRequired() throws Exception {
        NodeConfig.ApiTls tls = parse("  tls: { keystore: ./api.p12, truststore: ./ca.p12 }\n").tls().orElseThrow();

        assertThat(tls.clientCertificatesRequired()).isTrue();
    }

    @Test
    void requiredClientCertificates_withoutTruststore_isALocatedError() {
        List<LocatedError> errors = errorsOf("  tls: { keystore: ./api.p12, client-auth: require }\n");

        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo("TB-CONFIG-004");
            assertThat(e.line()).isEqualTo(4);
            assertThat(e.message()).contains("truststore");
        });
    }

    @Test
    void unknownClientCertificateMode_andMissingKeystore_areReported() {
        List<LocatedError> errors = errorsOf("  tls: { client-auth: want }\n");

        assertThat(errors).extracting(LocatedError::message).anySatisfy(m -> assertThat(m).contains("keystore"))
                .anySatisfy(m -> assertThat(m).contains("'none' or 'require'"));
    }
}
