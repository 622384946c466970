package org.twinbridge.runtime.plugin;

import java.time.Clock;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.dispatch.Subscriber;
import org.twinbridge.runtime.testing.PluginJars;
import org.twinbridge.sdk.StateStore;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.TwinOutput;
import org.twinbridge.testplugins.SnooperTwin;

/**
 * A trusted in-process plugin's class loader shows it the JDK, the SDK and the libraries the SDK names, and nothing of the node.
 * The test plugin {@link SnooperTwin} (a real jar loaded through the plugin host) tries to load node classes.
 */
class PluginIsolationTest {

    @TempDir
    static Path dir;
    /** Class name to how the snooper saw it: own loader | context loader | system loader. */
    private static final Map<String, String> SEEN = new LinkedHashMap<>();

    @BeforeAll
    static void runTheSnooper() throws Exception {
        PluginJars.write(dir.resolve("plugins/snooper.jar"), SnooperTwin.ID, SnooperTwin.class);
        // The class-loader boundary of a plugin the operator trusts to run in process (every other plugin runs in a
        // process of its own: HostilePluginIT).
        NodeConfig.Plugins config = new NodeConfig.Plugins(dir.resolve("plugins"), false, Optional.empty(), false)
                .withIsolation(new NodeConfig.Isolation(java.util.Set.of(SnooperTwin.ID), false, 192, 640,
                        java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(60), 1 << 20));
        try (PluginHost host = PluginHost.load(config, dir.resolve("verified"), Map.of(), Clock.systemUTC())) {
            Subscriber snooper = host.subscribers().get(0);
            List<TwinOutput> outputs = new ArrayList<>();
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            // As the dispatcher does: the plugin's loader is the context class loader while it runs.
            Thread.currentThread().setContextClassLoader(snooper.model().getClass().getClassLoader());
            try {
                snooper.model().onRecord(new AuthorisedRecord("subject-1", new Observation(), "vital-signs",
                        Optional.empty(), "receipt-1", "sha256:test"), context(outputs));
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
            for (TwinOutput output : outputs) {
                String[] parts = output.summary().split("\\|", 2);
                SEEN.put(parts[0], parts[1]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "org.twinbridge.runtime.journal.JdbcJournal",
        "org.twinbridge.runtime.crypto.NodeKeys",
        "org.twinbridge.runtime.crypto.DataKeys",
        "org.twinbridge.runtime.config.NodeConfig",
        "org.twinbridge.runtime.config.SecretRef",
        "org.twinbridge.runtime.storage.Database",
        "org.twinbridge.policy.decision.Decision",
        "org.bouncycastle.jce.provider.BouncyCastleProvider",
        "com.fasterxml.jackson.databind.ObjectMapper",
        "org.sqlite.JDBC"})
    void aPlugin_cannotLoadNodeClasses_throughItsOwnOrItsContextClassLoader(String className) {
        assertThat(SEEN.get(className)).startsWith("hidden|hidden|");
    }

    @ParameterizedTest
    @ValueSource(strings = {"org.twinbridge.sdk.TwinModel", "org.hl7.fhir.r4.model.Patient",
        "ca.uhn.fhir.context.FhirContext", "org.slf4j.LoggerFactory", "org.pf4j.Extension", "java.util.List"})
    void aPlugin_seesTheSdkAndTheLibrariesItNames(String className) {
        assertThat(SEEN.get(className)).startsWith("visible|visible|");
    }

    @Test
    void sharedApiTypes_areTheNodesOwn_soRecordsCrossTheBoundary() {
        assertThat(SEEN).hasSize(SnooperTwin.PROBES.size());
    }

    /**
     * The documented limit (docs/security.md): in one JVM a plugin can still ask the JVM's system class loader by
     * name. The class loader keeps honest plugins honest; it is not a sandbox, so only signed, trusted plugins run
     * in-process.
     */
    @Test
    void theSystemClassLoader_isNotHidden_whichIsWhyInProcessPluginsMustBeTrusted() {
        assertThat(SEEN.get("org.twinbridge.runtime.journal.JdbcJournal")).endsWith("|visible");
    }

    private static TwinContext context(List<TwinOutput> outputs) {
        return new TwinContext() {
            @Override
            public String pluginId() {
                return SnooperTwin.ID;
            }

            @Override
            public StateStore state() {
                throw new UnsupportedOperationException();
            }

            @Override
            public void emit(TwinOutput output) {
                outputs.add(output);
            }

            @Override
            public Instant now() {
                return Instant.now();
            }
        };
    }
}
