package org.twinbridge.connector.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.twinbridge.testkit.SeededMutator;
import org.twinbridge.testkit.SharedData;

/**
 * Mutation fuzzing of the FHIR JSON entry point that the file drop and MQTT connectors read through
 * ({@link FhirPayloads#parseJson}, {@link FhirPayloads#parseNdjson}) for a few seconds from a fixed, printed
 * seed. Samples: FHIR R4 spec examples from the shared corpus when present (every eighth file), and a few
 * written here, with family names replaced by a canary. Properties for every input: the only failure is a
 * {@link PayloadException} with a documented code, no hang, and no canary in its message.
 */
class FhirPayloadsFuzzTest {

    /** With spaces and digits: no sanitised name or type token can carry it. */
    private static final String CANARY = "Zz canary 1234 family";
    private static final java.util.regex.Pattern DOCUMENTED = java.util.regex.Pattern.compile("TB-PAYLOAD-00[1-5]");

    @Test
    void mutatedPayloads_failOnlyWithADocumentedPayloadException_withoutPhi() throws Exception {
        FhirPayloads payloads = new FhirPayloads(FhirContext.forR4Cached());
        SeededMutator fuzz = new SeededMutator(SeededMutator.seed("fhir payloads", 20261129L), corpus());
        Duration budget = SeededMutator.budget(Duration.ofSeconds(4));
        int[] rejected = {0};

        int checked = assertTimeoutPreemptively(budget.plusSeconds(120), () -> fuzz.run(budget, 150, 5000, input -> {
            for (boolean ndjson : new boolean[] {false, true}) {
                try {
                    FhirPayloads.Parsed parsed = ndjson ? payloads.parseNdjson(input) : payloads.parseJson(input);
                    assertThat(parsed.resources()).isNotNull();
                } catch (PayloadException e) {
                    rejected[0]++;
                    assertThat(e.code()).matches(DOCUMENTED);
                    assertThat(e.getMessage()).doesNotContain("canary");
                }
            }
        }));

        assertThat(checked).isGreaterThanOrEqualTo(150);
        assertThat(rejected[0]).as("the mutations do reach the rejection paths").isPositive();
    }

    private static List<byte[]> corpus() throws IOException {
        List<byte[]> samples = new ArrayList<>();
        samples.add(canary("{\"resourceType\":\"Patient\",\"id\":\"p1\",\"name\":[{\"family\":\"Roe\","
                + "\"given\":[\"Jane\"]}],\"birthDate\":\"1970-01-01\"}"));
        samples.add(canary("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"fullUrl\":"
                + "\"urn:uuid:8c8e2d1a-0000-4000-8000-000000000001\",\"resource\":{\"resourceType\":\"Patient\","
                + "\"name\":[{\"family\":\"Roe\"}]}},{\"resource\":{\"resourceType\":\"Observation\",\"status\":"
                + "\"final\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\"}]},"
                + "\"subject\":{\"reference\":\"urn:uuid:8c8e2d1a-0000-4000-8000-000000000001\"},"
                + "\"valueQuantity\":{\"value\":72,\"unit\":\"/min\"}}}]}"));
        Optional<Path> shared = SharedData.find("fhir-r4-examples");
        if (shared.isPresent()) {
            List<Path> files;
            try (Stream<Path> all = Files.walk(shared.get())) {
                files = all.filter(f -> f.toString().endsWith(".json")).sorted().toList();
            }
            for (int i = 0; i < files.size(); i += 8) {
                samples.add(canary(Files.readString(files.get(i), StandardCharsets.UTF_8)));
            }
        } else {
            System.out.println("fuzz fhir: shared corpus not found; fuzzing the written samples only");
        }
        return samples;
    }

    private static byte[] canary(String json) {
        return json.replaceAll("\"family\"\\s*:\\s*\"[^\"]*\"", "\"family\":\"" + CANARY + "\"")
                .getBytes(StandardCharsets.UTF_8);
    }
}
