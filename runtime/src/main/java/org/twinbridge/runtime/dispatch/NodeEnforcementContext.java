package org.twinbridge.runtime.dispatch;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.twinbridge.policy.enforcement.EnforcementContext;
import org.twinbridge.policy.enforcement.ReferenceMapper;

/**
 * The enforcement context of one delivery: pseudonyms and the date offset in the recipient's key domain,
 * keyed with the node's pseudonym key, so they are stable for one recipient and unlinkable across recipients.
 */
final class NodeEnforcementContext implements EnforcementContext {

    private final PseudonymMemo pseudonyms;
    private final String domain;
    private final ReferenceMapper references;
    private final String patientKey;
    private final String resourceId;
    private final Clock clock;

    NodeEnforcementContext(PseudonymMemo pseudonyms, String domain, ReferenceMapper references, String patientKey,
            String resourceId, Clock clock) {
        this.pseudonyms = pseudonyms;
        this.domain = domain;
        this.references = references;
        this.patientKey = patientKey;
        this.resourceId = resourceId;
        this.clock = clock;
    }

    @Override
    public String pseudonym(String value) {
        return pseudonyms.of(domain, "value|" + value);
    }

    @Override
    public ReferenceMapper references() {
        return references;
    }

    @Override
    public int dateShiftDays(int maxDays) {
        long value = Long.parseLong(pseudonyms.hash(domain, "date-shift|" + patientKey).substring(0, 12), 16);
        return (int) (value % (2L * maxDays + 1)) - maxDays;
    }

    @Override
    public LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    @Override
    public String resourceId() {
        return resourceId;
    }
}
