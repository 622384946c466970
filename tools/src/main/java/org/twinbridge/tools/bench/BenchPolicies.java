package org.twinbridge.tools.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the benchmark's policy directory: the demo policy set ({@code policies/examples/demo}, bundled in the
 * runtime jar) unchanged, plus one permit rule per recorder plugin and, for the scaling curve, rules for other
 * recipients that never apply to the recorders.
 */
final class BenchPolicies {

    /** What a recorder may see: the clinically useful elements, nothing that identifies. */
    static final String RECORDER_PROJECTION = """
                  Observation: [status, category, code, subject, "effective[x]", "value[x]", component.code,
                                "component.value[x]"]
                  Condition: [clinicalStatus, verificationStatus, category, code, subject, "onset[x]"]
                  MedicationRequest: [status, intent, "medication[x]", subject, authoredOn, dosageInstruction.text]
            """;
    private static final List<String> OTHER_TYPES = List.of("Observation", "Condition", "MedicationRequest",
            "Procedure", "Encounter", "DiagnosticReport");

    private BenchPolicies() {
    }

    /**
     * @param recorders     plugin ids that get a permit rule each
     * @param unrelatedRules rules for other recipients (decision cost should not depend on them)
     */
    static Path write(Path dir, List<String> recorders, int unrelatedRules) throws IOException {
        Files.createDirectories(dir);
        for (String name : List.of("policy.yaml", "labels.yaml")) {
            try (InputStream in = BenchPolicies.class.getClassLoader()
                    .getResourceAsStream("bundled-policies/demo/" + name)) {
                if (in == null) {
                    throw new IOException("TB-BENCH-004 the demo policy set is not bundled (" + name + ")");
                }
                Files.write(dir.resolve(name), in.readAllBytes());
            }
        }
        StringBuilder yaml = new StringBuilder("# Written by `twinbridge bench`: one rule per recorder plugin.\n"
                + "rules:\n");
        for (String id : recorders) {
            yaml.append("""
                      - id: bench-%1$s
                        description: The benchmark's recorder %1$s sees the mix, projected, for treatment.
                        effect: permit
                        recipients: [%1$s]
                        purposes: [TREAT]
                        resource-types: [Observation, Condition, MedicationRequest]
                        deny-labels: [HIV, PSY, ETH]
                        project:
                    %2$s""".formatted(id, RECORDER_PROJECTION));
        }
        for (int i = 0; i < unrelatedRules; i++) {
            String type = OTHER_TYPES.get(i % OTHER_TYPES.size());
            yaml.append("""
                      - id: other-%1$d
                        effect: permit
                        recipients: [other-twin-%1$d]
                        purposes: [TREAT]
                        resource-types: [%2$s]
                        condition: "%2$s.id.exists()"
                        project:
                          %2$s: [subject]
                    """.formatted(i, type));
        }
        Files.writeString(dir.resolve("bench.yaml"), yaml.toString(), StandardCharsets.UTF_8);
        return dir;
    }
}
