package org.twinbridge.federation.site;

import java.util.Objects;
import org.twinbridge.policy.decision.AccessRequest;
import org.twinbridge.policy.explain.ConsentCheck;

/**
 * What the patient's consent says about giving one of the site's records to a federated task's plugin, for the
 * task's purpose. Asked only when the permitting rule requires consent. A node answers from its consent registry
 * (the one dispatch uses), keyed by the record's patient key; files-backed sites ({@link PatientConsents}) answer
 * from the record's patient reference. Implementations are thread-safe and deny when they cannot decide.
 */
@FunctionalInterface
public interface SiteConsents {

    ConsentCheck.Outcome check(SiteRecord record, AccessRequest request);

    /** A check that needs only the access request (its resource names the patient). */
    static SiteConsents of(ConsentCheck check) {
        Objects.requireNonNull(check, "check");
        return (record, request) -> check.check(request);
    }
}
