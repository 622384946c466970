package org.twinbridge.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigErrorsCliTest {

    @TempDir
    Path dir;

    @Test
    void run_withAMistakenConfig_exits2_pointingAtTheLine() throws Exception {
        Path config = dir.resolve("twinbridge.yaml");
        Files.writeString(config, """
                node: { id: st-marys }
                connectors:
                  - { id: ehr, type: fhir, base-url: "http://ehr/fhir", pol: 30s }
                """);

        CliRun run = CliRun.of("run", "--config", config.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(config + ":3:").contains("TB-YAML-001 unknown key 'connectors[0].pol'");
    }

    @Test
    void run_withoutAConfigFile_exits2_andSaysHowToFixIt() {
        CliRun run = CliRun.of("run", "--config", dir.resolve("nope.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("TB-CONFIG-008 configuration file not found");
    }

    @Test
    void run_withAMissingKeystore_exits2_andNamesTheCommandThatCreatesIt() throws Exception {
        Path config = dir.resolve("twinbridge.yaml");
        Files.writeString(dir.resolve("pw"), "secret");
        Files.writeString(config, "node: { id: a }\nkeys: { password-file: ./pw }\n");

        CliRun run = CliRun.of("run", "--config", config.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("TB-KEYS-001").contains("twinbridge keys init");
    }

    @Test
    void keysInit_thenJournalStats_work_andKeysInitRefusesToOverwrite() throws Exception {
        Path config = dir.resolve("twinbridge.yaml");
        Files.writeString(dir.resolve("pw"), "secret");
        Files.writeString(config, "node: { id: a }\nkeys: { password-file: ./pw }\n");

        assertThat(CliRun.of("keys", "init", "-c", config.toString()).exitCode()).isEqualTo(0);
        CliRun again = CliRun.of("keys", "init", "-c", config.toString());
        CliRun stats = CliRun.of("journal", "stats", "-c", config.toString());

        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("TB-KEYS-003").contains("refusing to overwrite");
        assertThat(stats.exitCode()).isEqualTo(0);
        assertThat(stats.out()).contains("(no records yet)");
    }

    @Test
    void run_withAnMqttConnectorWhoseTlsKeystoreIsMissing_exits2_namingTheSettingAndFileButNoPassword()
            throws Exception {
        Path config = dir.resolve("twinbridge.yaml");
        Files.writeString(dir.resolve("pw"), "secret");
        Files.writeString(dir.resolve("mqtt.pw"), "mqtt-keystore-s3cret");
        Files.writeString(config, """
                node: { id: a }
                keys: { password-file: ./pw }
                connectors:
                  - id: wards
                    type: mqtt
                    broker: "ssl://127.0.0.1:8883"
                    protocol: mqtt5
                    tls: { keystore: ./secrets/mqtt-client.p12, password-file: ./mqtt.pw }
                """);
        assertThat(CliRun.of("keys", "init", "-c", config.toString()).exitCode()).isEqualTo(0);

        CliRun run = CliRun.of("run", "--config", config.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(config + ":").contains("TB-CONFIG-010")
                .contains("'tls.keystore' names ./secrets/mqtt-client.p12, which does not exist")
                .doesNotContain("mqtt-keystore-s3cret");
    }
}
