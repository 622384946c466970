package org.twinbridge.tools.bench;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.twinbridge.connector.support.FhirPayloads;
import org.twinbridge.connector.support.PayloadException;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * The benchmark's workload: every Observation, Condition and MedicationRequest of a folder of Synthea
 * transaction Bundles, parsed as the file connector parses them ({@code urn:uuid} references rewritten to
 * {@code Type/id}), plus the Patients they refer to. Falls back to the five Synthea patients bundled for the demo.
 *
 * @param patients the Patient records, journalled first (not counted as workload)
 * @param records  the workload, in bundle order: the realistic mix of the three types
 * @param json     each workload record as FHIR JSON, the bytes a source would send (same order as records)
 * @param source   where the bundles came from, for the report
 */
record BenchRecords(List<CanonicalRecord> patients, List<CanonicalRecord> records, List<String> json,
        String source) {

    static final Set<String> TYPES = Set.of("Observation", "Condition", "MedicationRequest");
    static final String CONNECTOR = "bench";

    BenchRecords {
        patients = List.copyOf(patients);
        records = List.copyOf(records);
        json = List.copyOf(json);
    }

    /** Loads every {@code *.json} Bundle in {@code dir}, or the bundled demo patients when dir is absent. */
    static BenchRecords load(Path dir, FhirContext fhir) throws IOException {
        FhirPayloads payloads = new FhirPayloads(fhir);
        List<byte[]> bundles = new ArrayList<>();
        String source;
        if (dir != null && Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                    bundles.add(Files.readAllBytes(file));
                }
            }
            source = dir.toAbsolutePath().normalize() + " (" + bundles.size() + " Synthea bundles)";
        } else {
            for (String name : classpathText("demo/synthea/index.txt").split("\n")) {
                if (!name.isBlank()) {
                    bundles.add(classpathText("demo/synthea/" + name.strip()).getBytes(StandardCharsets.UTF_8));
                }
            }
            source = "the demo's bundled Synthea patients (" + bundles.size() + " bundles; " + dir + " not found)";
        }
        List<CanonicalRecord> patients = new ArrayList<>();
        List<CanonicalRecord> records = new ArrayList<>();
        List<String> json = new ArrayList<>();
        var parser = fhir.newJsonParser();
        for (byte[] bundle : bundles) {
            try {
                for (CanonicalRecord record : payloads.parseJson(bundle).records(CONNECTOR)) {
                    String type = record.resource().fhirType();
                    if (type.equals("Patient")) {
                        patients.add(record);
                    } else if (TYPES.contains(type)) {
                        records.add(record);
                        json.add(parser.encodeResourceToString(record.resource()));
                    }
                }
            } catch (PayloadException e) {
                throw new IOException("TB-BENCH-002 a Synthea bundle does not parse: " + e.getMessage(), e);
            }
        }
        if (records.isEmpty()) {
            throw new IOException("TB-BENCH-003 no Observation, Condition or MedicationRequest in " + source);
        }
        return new BenchRecords(patients, records, json, source);
    }

    /** About {@code n} records taken evenly across the workload, so a small run keeps the mix of types. */
    BenchRecords sample(int n) {
        if (n >= records.size()) {
            return this;
        }
        List<CanonicalRecord> sampled = new ArrayList<>();
        List<String> sampledJson = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = (int) ((long) i * records.size() / n);
            sampled.add(records.get(index));
            sampledJson.add(json.get(index));
        }
        return new BenchRecords(patients, sampled, sampledJson, source + ", " + n + " sampled evenly");
    }

    /** How many records of each workload type, for the report. */
    String mix() {
        StringBuilder out = new StringBuilder();
        for (String type : List.of("Observation", "Condition", "MedicationRequest")) {
            long n = records.stream().filter(r -> r.resource().fhirType().equals(type)).count();
            out.append(out.length() == 0 ? "" : ", ").append(String.format("%,d %s", n, type));
        }
        return out.toString();
    }

    private static String classpathText(String path) throws IOException {
        try (InputStream in = BenchRecords.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("TB-BENCH-001 missing class-path resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
