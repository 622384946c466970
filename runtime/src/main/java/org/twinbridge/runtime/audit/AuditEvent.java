package org.twinbridge.runtime.audit;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One audited fact: an admin action, a key event, a consent change, an erasure. Never holds PHI: patients
 * appear by internal patient key or pseudonym, values by count or code.
 *
 * @param kind    a stable event name such as {@code consent.erasure} or {@code keys.rotate}
 * @param actor   who did it: a user id, {@code cli:<os user>} or {@code node}
 * @param subject the patient key or pseudonym concerned, or empty
 * @param details further facts, no PHI
 */
public record AuditEvent(String kind, String actor, String subject, Map<String, String> details) {

    public AuditEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(subject, "subject");
        details = Map.copyOf(new TreeMap<>(details));
    }
}
