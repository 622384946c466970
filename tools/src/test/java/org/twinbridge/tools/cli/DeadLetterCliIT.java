package org.twinbridge.tools.cli;

import org.twinbridge.runtime.node.NodeTestAccess;
import org.twinbridge.runtime.testing.FlakyTwin;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.KeyOwner;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.dispatch.DeliveryStats;
import org.twinbridge.runtime.deadletter.DeadLetters;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.node.Node;
import org.twinbridge.runtime.storage.Database;
import org.twinbridge.runtime.testing.PluginJars;
import org.twinbridge.runtime.testing.TestDatabases;
import org.twinbridge.sdk.connector.DeadLetter;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * {@code twinbridge deadletter list|replay|drop} end to end, on SQLite and on PostgreSQL: a node parks two records
 * its (real, pf4j-loaded) plugin fails on and a connector dead letter arrives; the node stops; the command lists
 * all three, a replay before the plugin is fixed fails again and stays parked, a replay after the fix delivers
 * exactly once, a second replay is refused, and drops are audited.
 */
class DeadLetterCliIT {

    private static final String PASSWORD = "deadletter-cli-password";

    @TempDir
    Path dir;
    private String postgresUrl;

    @AfterEach
    void cleanUp() {
        System.clearProperty(FlakyTwin.HEALED_PROPERTY);
        if (postgresUrl != null) {
            TestDatabases.dropPostgres(postgresUrl);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void deadletter_listReplayDrop_endToEnd(String storage) throws Exception {
        Path healed = dir.resolve("healed");
        System.setProperty(FlakyTwin.HEALED_PROPERTY, healed.toString());
        String url = storage.equals("sqlite") ? TestDatabases.embeddedUrl(dir.resolve("data"))
                : (postgresUrl = TestDatabases.createPostgres());
        Path config = writeConfig(url);
        NodeConfig nodeConfig = new ConfigLoader(ConnectorRegistry.discover().settingKeys()).load(config);
        NodeKeys keys = NodeKeys.init(nodeConfig.keys().keystore(), PASSWORD.toCharArray(), nodeConfig.node().id(), Clock.systemUTC());
        try (Node node = Node.start(nodeConfig, keys, ConnectorRegistry.discover(), Clock.systemUTC())) {
            node.journal().append(records(61, 62));
            await(() -> failed(NodeTestAccess.database(node)) == 2, "both observations parked");
            RecordCipherHolder.deadLetters(NodeTestAccess.database(node), keys).record(new DeadLetter("lab", "TB-HL7-001",
                    "the frame is not an HL7 v2 message", "garbage".getBytes(StandardCharsets.UTF_8)));
        }

        CliRun list = CliRun.of("deadletter", "list", "-c", config.toString());
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("Parked plugin deliveries: 2", "P-1", "P-2", "flaky-twin",
                "PLUGIN_EXCEPTION java.lang.IllegalStateException", "Connector dead letters: 1", "C-1", "TB-HL7-001")
                .doesNotContain("cannot handle value", "garbage");

        CliRun stillBroken = CliRun.of("deadletter", "replay", "P-1", "-c", config.toString());
        assertThat(stillBroken.exitCode()).as(stillBroken.err()).isEqualTo(TwinBridgeCli.RUNTIME_FAILURE);
        assertThat(stillBroken.out()).contains("P-1: failed again (PLUGIN_EXCEPTION java.lang.IllegalStateException)");

        Files.writeString(healed, "fixed in 1.0.1");
        CliRun replay = CliRun.of("deadletter", "replay", "P-1", "-c", config.toString());
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("P-1: delivered (receipt ");
        CliRun again = CliRun.of("deadletter", "replay", "1", "-c", config.toString());
        assertThat(again.exitCode()).isEqualTo(TwinBridgeCli.BAD_INPUT);
        assertThat(again.err()).contains("TB-DEADLETTER-002 P-1 was already replayed");

        CliRun dropParked = CliRun.of("deadletter", "drop", "P-2", "-c", config.toString());
        CliRun dropConnector = CliRun.of("deadletter", "drop", "C-1", "-c", config.toString());
        assertThat(dropParked.exitCode()).as(dropParked.err()).isZero();
        assertThat(dropConnector.exitCode()).as(dropConnector.err()).isZero();
        CliRun unknown = CliRun.of("deadletter", "drop", "C-99", "-c", config.toString());
        assertThat(unknown.exitCode()).isEqualTo(TwinBridgeCli.BAD_INPUT);
        assertThat(unknown.err()).contains("TB-DEADLETTER-001");
        assertThat(CliRun.of("deadletter", "drop", "x-1", "-c", config.toString()).err())
                .contains("TB-DEADLETTER-011");

        assertThat(CliRun.of("deadletter", "list", "-c", config.toString()).out())
                .contains("Parked plugin deliveries: 0", "Connector dead letters: 0");
        assertThat(CliRun.of("deadletter", "list", "--all", "-c", config.toString()).out())
                .contains("REPLAYED", "DROPPED");

        try (Database db = storage.equals("sqlite") ? TestDatabases.embedded(dir.resolve("data"))
                : TestDatabases.postgres(postgresUrl)) {
            assertThat(count(db, "SELECT COUNT(*) FROM audit_event WHERE kind = 'decision' "
                    + "AND details LIKE '%delivered (replay)%'"))
                    .as("delivered exactly once").isEqualTo(1);
            assertThat(count(db, "SELECT COUNT(*) FROM plugin_state WHERE plugin_id = 'flaky-twin'"))
                    .as("only the replay's state write was kept").isEqualTo(1);
            assertThat(count(db, "SELECT COUNT(*) FROM audit_event WHERE kind = 'deadletter.drop'")).isEqualTo(2);
            assertThat(count(db, "SELECT COUNT(*) FROM audit_event WHERE kind = 'deadletter.replay'")).isEqualTo(2);
            assertThat(count(db, "SELECT COUNT(*) FROM dead_letter")).isZero();
        }
        CliRun verify = CliRun.of("audit", "verify", "-c", config.toString());
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    }

    /** A node's dead-letter table, sealed with its key for unlinked records as a running node seals it. */
    private static final class RecordCipherHolder {
        static DeadLetters deadLetters(Database db, NodeKeys keys) throws Exception {
            return new DeadLetters(db, db.inTransaction(c -> keys.dataKeys().forWriting(c,
                    KeyOwner.unlinkedRecords())), Clock.systemUTC());
        }
    }

    private Path writeConfig(String url) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.write(plugins.resolve("flaky-twin.jar"), FlakyTwin.ID, FlakyTwin.class);
        Files.writeString(dir.resolve("pw"), PASSWORD);
        Path file = dir.resolve("twinbridge.yaml");
        Files.writeString(file, """
                node: { id: deadletter-cli, data-dir: ./data }
                storage: { url: "%s"%s }
                keys: { password-file: ./pw }
                plugins: { dir: ./plugins, retry: { attempts: 2, initial-backoff: 10ms, max-backoff: 10ms },
                           trusted: [flaky-twin, erase-twin] }
                policies: { allow: { flaky-twin: [Observation] }, purposes: { flaky-twin: TREAT } }
                """.formatted(url, url.startsWith("jdbc:postgresql:") ? ", user: postgres" : ""));
        return file;
    }

    private static List<CanonicalRecord> records(int... values) {
        List<CanonicalRecord> records = new ArrayList<>();
        Patient patient = new Patient();
        patient.setId("p1");
        records.add(CanonicalRecord.of("ehr", "Patient/p1", patient));
        for (int value : values) {
            Observation o = new Observation();
            o.setId("o" + value);
            o.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
            o.setSubject(new Reference("Patient/p1"));
            o.setValue(new Quantity().setValue(value));
            records.add(CanonicalRecord.of("ehr", "Observation/o" + value, o));
        }
        return records;
    }

    private static long failed(Database db) {
        try {
            DeliveryStats.PluginCounters c = DeliveryStats.read(db).get(FlakyTwin.ID);
            return c == null ? 0 : c.failed();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(Database db, String sql) throws Exception {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static void await(BooleanSupplier condition, String what) {
        org.twinbridge.testkit.Await.until(what, condition::getAsBoolean);
    }
}
