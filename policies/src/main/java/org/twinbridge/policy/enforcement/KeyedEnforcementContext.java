package org.twinbridge.policy.enforcement;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.hl7.fhir.r4.model.IdType;

/**
 * An enforcement context whose pseudonyms and date offset are HMAC-SHA256 under one key, for one recipient and one
 * record's patient: {@code policy explain} uses it with a public preview key, a federated task with a key that
 * lives for that task only. The key is never exposed. Immutable.
 */
public final class KeyedEnforcementContext implements EnforcementContext {

    private final byte[] key;
    private final String recipient;
    private final String patient;
    private final LocalDate today;
    private final String record;

    /**
     * @param patient the record's patient (a reference or key), which fixes the date offset
     * @param record  what distinguishes this record's pseudonymous id ({@code record} for a single preview)
     */
    public KeyedEnforcementContext(byte[] key, String recipient, String patient, LocalDate today, String record) {
        this.key = key.clone();
        this.recipient = Objects.requireNonNull(recipient, "recipient");
        this.patient = Objects.requireNonNull(patient, "patient");
        this.today = Objects.requireNonNull(today, "today");
        this.record = Objects.requireNonNull(record, "record");
    }

    @Override
    public String pseudonym(String value) {
        return hmac(key, "pseudonym|" + recipient + "|" + value).substring(0, 26);
    }

    @Override
    public ReferenceMapper references() {
        return reference -> {
            String type = new IdType(reference).getResourceType();
            return (type == null ? "Resource" : type) + "/" + pseudonym(reference);
        };
    }

    @Override
    public int dateShiftDays(int maxDays) {
        long value = Long.parseLong(hmac(key, "date-shift|" + recipient + "|" + patient).substring(0, 12), 16);
        return (int) (value % (2L * maxDays + 1)) - maxDays;
    }

    @Override
    public LocalDate today() {
        return today;
    }

    @Override
    public String resourceId() {
        return pseudonym(record);
    }

    /** HMAC-SHA256 of {@code value} under {@code key}, hex. */
    public static String hmac(byte[] key, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is required by every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "KeyedEnforcementContext[recipient=" + recipient + "]";
    }
}
