package org.twinbridge.policy.policytest;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One policy test case, as written next to the policies in {@code tests/*.yaml}:
 * <pre>
 * tests:
 *   - name: the NEWS2 twin sees a heart rate for treatment
 *     recipient: news2-twin
 *     purpose: TREAT
 *     record: records/heart-rate.json      # relative to this file
 *     consent: given                       # or absent (default), or consent files: [consents/opt-out.json];
 *                                          # only matters for consent-required rules
 *     expect: permit                       # or deny
 *     rules: [news2-vital-signs]           # optional: the rules that must have decided
 *     present: [Observation.value]         # FHIRPath over what the recipient receives: must hold
 *     absent: [Observation.identifier]     # must not hold
 * </pre>
 * An expression holds when it finds something, unless what it finds is the single boolean {@code false};
 * so both {@code Observation.note} and {@code Observation.effective.toString().length() > 4} work.
 */
public record PolicyTestCase(String file, String location, String name, String recipient, String purpose,
        Path record, ConsentSpec consent, boolean expectPermit, Optional<List<String>> rules,
        List<String> present, List<String> absent) {

    public PolicyTestCase {
        java.util.Objects.requireNonNull(consent, "consent");
        present = List.copyOf(present);
        absent = List.copyOf(absent);
        rules = rules.map(List::copyOf);
    }

    /** What a case says about the patient's consent. */
    public sealed interface ConsentSpec permits Given, Absent, Files {
    }

    /** {@code consent: given}: the patient's consent permits, whatever the access. */
    public record Given() implements ConsentSpec {
    }

    /** {@code consent: absent} (the default): there is no consent. */
    public record Absent() implements ConsentSpec {
    }

    /**
     * {@code consent: [files]}: these FHIR Consents (resources, Bundles or NDJSON) are the patient's, and are
     * evaluated for the access.
     */
    public record Files(List<Path> files) implements ConsentSpec {
        public Files {
            files = List.copyOf(files);
        }
    }
}
