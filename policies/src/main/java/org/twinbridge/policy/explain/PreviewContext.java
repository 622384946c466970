package org.twinbridge.policy.explain;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.twinbridge.policy.enforcement.EnforcementContext;
import org.twinbridge.policy.enforcement.KeyedEnforcementContext;
import org.twinbridge.policy.enforcement.ReferenceMapper;

/**
 * The enforcement context of {@code policy explain} and {@code policy test}, which run without a node and its
 * keys: pseudonyms come from a fixed, public preview key, so they are repeatable but are <em>not</em> the
 * pseudonyms a node would produce, and protect nothing. The date offset is derived the same way.
 */
public final class PreviewContext implements EnforcementContext {

    private static final byte[] PREVIEW_KEY = "twinbridge-preview-not-secret".getBytes(StandardCharsets.UTF_8);
    private final KeyedEnforcementContext keyed;

    /**
     * @param patientReference the record's patient (for example {@code Patient/123}), which fixes the date offset
     */
    public PreviewContext(String recipient, String patientReference, LocalDate today) {
        this.keyed = new KeyedEnforcementContext(PREVIEW_KEY, recipient, patientReference, today, "record");
    }

    @Override
    public String pseudonym(String value) {
        return keyed.pseudonym(value);
    }

    @Override
    public ReferenceMapper references() {
        return keyed.references();
    }

    @Override
    public int dateShiftDays(int maxDays) {
        return keyed.dateShiftDays(maxDays);
    }

    @Override
    public LocalDate today() {
        return keyed.today();
    }

    @Override
    public String resourceId() {
        return keyed.resourceId();
    }
}
