package org.twinbridge.policy.enforcement;

import org.twinbridge.policy.model.Obligation;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.twinbridge.policy.model.Obligation.AllowElements;

class EnforcerThreadSafetyTest {

    @Test
    void enforce_fromManyThreadsAtOnce_givesTheSameViewAsOneThread() {
        Enforcer enforcer = new Enforcer(FhirContext.forR4Cached());
        List<Obligation> obligations = List.of(new AllowElements("Observation", EnforcerAllowListTest.VITALS),
                new Obligation.Redact(Set.of("code.text")),
                new Obligation.Generalise(Map.of("effective[x]", new Obligation.Generalise.ToYear())),
                new Obligation.ShiftDates(30), new Obligation.Pseudonymise());
        String expected = EnforcerAllowListTest.json(
                enforcer.enforce(EnforcerAllowListTest.richObservation(), obligations, FixedContext.standard()));
        // A fresh enforcer, so that threads also race on the first validation of the allow-list.
        Enforcer shared = new Enforcer(FhirContext.forR4Cached());

        List<String> views = IntStream.range(0, 64).parallel()
                .mapToObj(i -> EnforcerAllowListTest.json(shared.enforce(EnforcerAllowListTest.richObservation(),
                        obligations, FixedContext.standard())))
                .toList();

        assertThat(views).containsOnly(expected);
    }
}
