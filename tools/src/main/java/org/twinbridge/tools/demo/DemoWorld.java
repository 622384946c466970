package org.twinbridge.tools.demo;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.twinbridge.embedded.fhir.EmbeddedFhirServer;
import org.twinbridge.embedded.fhir.SeedSummary;
import org.twinbridge.embedded.fhir.SyntheaSeeder;
import org.twinbridge.embedded.mqtt.EmbeddedMqttBroker;

/**
 * The outside world of the demo: an in-process FHIR R4 server seeded with the shipped Synthea patients
 * (see {@code demo/NOTICE.md}), standing in for a hospital EHR, and an in-process MQTT broker standing in for
 * the ward's device gateway.
 */
final class DemoWorld implements AutoCloseable {

    private static final String SYNTHEA = "demo/synthea";
    private final EmbeddedFhirServer ehr;
    private final SeedSummary seeded;
    private final EmbeddedMqttBroker broker;

    private DemoWorld(EmbeddedFhirServer ehr, SeedSummary seeded, EmbeddedMqttBroker broker) {
        this.ehr = ehr;
        this.seeded = seeded;
        this.broker = broker;
    }

    static DemoWorld start(int patients) throws IOException {
        EmbeddedFhirServer ehr = EmbeddedFhirServer.start(0);
        try {
            SyntheaSeeder seeder = new SyntheaSeeder(ehr.fhirContext(), ehr.store());
            SeedSummary summary = SeedSummary.empty();
            for (String name : bundleNames().subList(0, Math.min(patients, bundleNames().size()))) {
                summary = summary.plus(seeder.load(readBundle(ehr.fhirContext(), SYNTHEA + "/" + name)));
            }
            return new DemoWorld(ehr, summary, EmbeddedMqttBroker.start(0));
        } catch (IOException | RuntimeException e) {
            ehr.close();
            throw e;
        }
    }

    /** The shipped bundle file names, in index order. */
    static List<String> bundleNames() throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream in = resource(SYNTHEA + "/" + SyntheaSeeder.INDEX_FILE)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String name = line.strip();
                if (!name.isEmpty() && !name.startsWith("#")) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static Bundle readBundle(FhirContext fhir, String path) throws IOException {
        try (InputStream in = resource(path)) {
            return fhir.newJsonParser().parseResource(Bundle.class, new InputStreamReader(in, StandardCharsets.UTF_8));
        }
    }

    private static InputStream resource(String path) throws IOException {
        InputStream in = DemoWorld.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IOException("TB-DEMO-001 demo data " + path + " is missing from the runtime jar; rebuild it");
        }
        return in;
    }

    String ehrBaseUrl() {
        return ehr.baseUrl();
    }

    /** The embedded MQTT broker the demo wearables publish to. */
    String brokerUrl() {
        return broker.url();
    }

    org.twinbridge.embedded.fhir.InMemoryFhirStore store() {
        return ehr.store();
    }

    SeedSummary seeded() {
        return seeded;
    }

    /** How many seeded resources are of the given types: what the connector should ingest. */
    long seededOf(List<String> types) {
        return types.stream().mapToLong(t -> seeded.loadedByType().getOrDefault(t, 0)).sum();
    }

    @Override
    public void close() {
        try {
            broker.close();
        } finally {
            ehr.close();
        }
    }
}
