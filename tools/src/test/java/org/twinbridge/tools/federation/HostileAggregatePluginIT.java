package org.twinbridge.tools.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.plugin.signing.TrustStore;
import org.twinbridge.runtime.plugin.signing.VendorKey;
import org.twinbridge.runtime.testing.CountingListener;
import org.twinbridge.runtime.testing.PluginJars;
import org.twinbridge.sdk.AggregateTwinModel;
import org.twinbridge.sdk.internal.host.AggregateProcessFailure;
import org.twinbridge.sdk.model.AggregateTable;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.testplugins.aggregate.EscapingAggregate;
import org.twinbridge.runtime.plugin.process.AggregatePluginJars;

/**
 * A signed hostile aggregate plugin, loaded as a site loads aggregate plugins (signature checked, then run in its
 * own bubblewrap-sandboxed process per task): it cannot read the site's files or open a socket, and when it exits
 * the JVM, hangs, floods or writes garbage, the task fails with the matching kind while this JVM carries on.
 */
class HostileAggregatePluginIT {

    private static final String SECRET = "the site's secret, not for plugins";

    @TempDir
    Path dir;
    private CountingListener listener;
    private AggregateTwinModel plugin;
    private Path secretFile;

    @BeforeEach
    void setUp() throws Exception {
        listener = new CountingListener("127.0.0.1");
        secretFile = Files.writeString(dir.resolve("secret.txt"), SECRET);
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        VendorKey vendor = PluginJars.vendor("Hostile aggregate vendor");
        vendor.writeCertificate(dir.resolve("trust/vendor.pem"));
        vendor.sign(PluginJars.write(plugins.resolve("escaping.jar"), EscapingAggregate.ID, EscapingAggregate.class));
        NodeConfig.Isolation limits = new NodeConfig.Isolation(Set.of(), false, 192, 640, Duration.ofSeconds(8),
                Duration.ofSeconds(60), 64 << 10);
        AggregatePluginJars.Loaded loaded = AggregatePluginJars.load(plugins, TrustStore.load(dir.resolve("trust")),
                Instant.now(), limits);
        assertThat(loaded.refused()).isEmpty();
        plugin = loaded.plugins().get(EscapingAggregate.ID);
        assertThat(plugin).isNotNull();
    }

    @AfterEach
    void close() throws IOException {
        listener.close();
    }

    @Test
    void readingTheSitesFiles_andOpeningASocket_areDenied_andNothingLeaks() throws Exception {
        AggregateTable table = plugin.aggregate(records(), parameters("report"));

        assertThat(table.title()).as("what the plugin got")
                .startsWith("file=DENIED:").contains("socket=DENIED:").doesNotContain(SECRET, "GOT:");
        assertThat(table.contributors()).containsExactlyInAnyOrder("subject-a", "subject-b");
        assertThat(listener.accepted()).as("connections that reached the test's listener").isZero();
    }

    @ParameterizedTest(name = "then={0}")
    @CsvSource({"exit, CRASHED", "hang, TIMEOUT", "flood, OVERSIZED", "garbage, MALFORMED"})
    void aMisbehavingProcess_failsTheTask_withItsKind_andTheNextTaskRuns(String then,
            AggregateProcessFailure.Kind kind) throws Exception {
        assertThatThrownBy(() -> plugin.aggregate(records(), parameters(then)))
                .isInstanceOfSatisfying(AggregateProcessFailure.class, f -> assertThat(f.kind()).isEqualTo(kind))
                .hasMessageNotContaining(SECRET);

        AggregateTable next = plugin.aggregate(records(), parameters("report"));
        assertThat(next.title()).startsWith("file=DENIED:");
        assertThat(listener.accepted()).isZero();
    }

    private Map<String, String> parameters(String then) {
        return Map.of("secret-file", secretFile.toString(), "port", Integer.toString(listener.port()),
                "then", then);
    }

    private static List<AuthorisedRecord> records() {
        return List.of(record("subject-a", "r1"), record("subject-b", "r2"));
    }

    private static AuthorisedRecord record(String subject, String receipt) {
        Observation o = new Observation();
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.setValue(new Quantity(42));
        return new AuthorisedRecord(subject, o, "vital-signs", Optional.empty(), receipt, "policy-v1");
    }
}
