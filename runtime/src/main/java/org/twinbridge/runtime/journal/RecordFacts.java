package org.twinbridge.runtime.journal;

import java.time.Instant;
import java.util.Optional;
import org.hl7.fhir.r4.model.Resource;

/** Facts about a record; see {@link org.twinbridge.policy.view.RecordFacts}, shared with the test harness. */
public final class RecordFacts {

    private RecordFacts() {
    }

    /** @see org.twinbridge.policy.view.RecordFacts#category(Resource) */
    public static String category(Resource resource) {
        return org.twinbridge.policy.view.RecordFacts.category(resource);
    }

    /** @see org.twinbridge.policy.view.RecordFacts#effectiveTime(Resource) */
    public static Optional<Instant> effectiveTime(Resource resource) {
        return org.twinbridge.policy.view.RecordFacts.effectiveTime(resource);
    }
}
