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
 *     consent: given                       # or absent (default); only matters for consent-required rules
 *     expect: permit                       # or deny
 *     rules: [news2-vital-signs]           # optional: the rules that must have decided
 *     present: [Observation.value]         # FHIRPath over what the recipient receives: must hold
 *     absent: [Observation.identifier]     # must not hold
 * </pre>
 * An expression holds when it finds something, unless what it finds is the single boolean {@code false};
 * so both {@code Observation.note} and {@code Observation.effective.toString().length() > 4} work.
 */
public record PolicyTestCase(String file, String location, String name, String recipient, String purpose,
        Path record, boolean consentGiven, boolean expectPermit, Optional<List<String>> rules,
        List<String> present, List<String> absent) {

    public PolicyTestCase {
        present = List.copyOf(present);
        absent = List.copyOf(absent);
        rules = rules.map(List::copyOf);
    }
}
