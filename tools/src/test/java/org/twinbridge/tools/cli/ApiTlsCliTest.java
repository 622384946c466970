package org.twinbridge.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} with an API TLS keystore it cannot read stops with TB-API-004 naming the file, not a port error. */
class ApiTlsCliTest {

    @TempDir
    Path dir;

    @Test
    void run_withAMissingApiKeystore_exits2_withTbApi004_namingTheFile() throws Exception {
        Path config = dir.resolve("twinbridge.yaml");
        Files.writeString(dir.resolve("pw"), "secret");
        Files.writeString(config, """
                node: { id: a, data-dir: ./data }
                keys: { password-file: ./pw }
                api:
                  port: 0
                  tls: { keystore: ./api-tls.p12, password-file: ./pw }
                  oidc: { issuer: "http://127.0.0.1:9/realms/none", audience: twinbridge-api }
                """);
        assertThat(CliRun.of("keys", "init", "-c", config.toString()).exitCode()).isEqualTo(0);

        CliRun run = CliRun.of("run", "--config", config.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("TB-API-004").contains("api-tls.p12").doesNotContain("TB-API-003");
    }
}
