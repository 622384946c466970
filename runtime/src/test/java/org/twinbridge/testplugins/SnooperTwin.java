package org.twinbridge.testplugins;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Observation;
import org.pf4j.Extension;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.PluginManifest;
import org.twinbridge.sdk.model.TwinOutput;

/**
 * A test plugin that tries to reach classes it should not: on each record it tries to load each class named
 * in {@link #PROBES} three ways and reports, in one output per class, {@code name|own|context|system} where each
 * is {@code visible} or {@code hidden}: through its own class loader ({@code Class.forName}), through the
 * thread's context class loader, and through the JVM's system class loader.
 */
@Extension
public final class SnooperTwin implements TwinModel {

    public static final String ID = "snooper-twin";
    public static final List<String> PROBES = List.of(
            "org.twinbridge.runtime.journal.JdbcJournal",
            "org.twinbridge.runtime.crypto.NodeKeys",
            "org.twinbridge.runtime.crypto.DataKeys",
            "org.twinbridge.runtime.config.NodeConfig",
            "org.twinbridge.runtime.config.SecretRef",
            "org.twinbridge.runtime.storage.Database",
            "org.twinbridge.policy.decision.Decision",
            "org.bouncycastle.jce.provider.BouncyCastleProvider",
            "com.fasterxml.jackson.databind.ObjectMapper",
            "org.sqlite.JDBC",
            "org.twinbridge.sdk.TwinModel",
            "org.hl7.fhir.r4.model.Patient",
            "ca.uhn.fhir.context.FhirContext",
            "org.slf4j.LoggerFactory",
            "org.pf4j.Extension",
            "java.util.List");

    @Override
    public PluginManifest manifest() {
        return new PluginManifest(ID, "1.0.0", "TwinBridge tests", "probes the class loader",
                new DataRequest(Set.of("Observation"), Set.of(), Set.of("TREAT")), List.of(OutputKind.OBSERVATION));
    }

    @Override
    public void onRecord(AuthorisedRecord record, TwinContext context) {
        for (String name : PROBES) {
            List<String> seen = new ArrayList<>();
            seen.add(visible(() -> Class.forName(name)));
            seen.add(visible(() -> Thread.currentThread().getContextClassLoader().loadClass(name)));
            seen.add(visible(() -> ClassLoader.getSystemClassLoader().loadClass(name)));
            context.emit(new TwinOutput(record.subject(), OutputKind.OBSERVATION, new Observation(),
                    name + "|" + String.join("|", seen)));
        }
    }

    private static String visible(Probe probe) {
        try {
            probe.load();
            return "visible";
        } catch (ClassNotFoundException | LinkageError e) {
            return "hidden";
        }
    }

    private interface Probe {
        void load() throws ClassNotFoundException;
    }

    @Override
    public void onErase(String subject, TwinContext context) {
    }
}
