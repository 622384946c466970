package org.twinbridge.policy.policytest;

import java.util.List;

/** The outcome of one case: passed, or the list of what did not hold. */
public record PolicyTestResult(PolicyTestCase testCase, String decision, List<String> failures) {

    public PolicyTestResult {
        failures = List.copyOf(failures);
    }

    public boolean passed() {
        return failures.isEmpty();
    }
}
