package org.twinbridge.policy.explain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.LocalDate;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.hl7.fhir.r4.model.IdType;
import org.twinbridge.policy.enforcement.EnforcementContext;
import org.twinbridge.policy.enforcement.ReferenceMapper;

/**
 * The enforcement context of {@code policy explain} and {@code policy test}, which run without a node and its
 * keys: pseudonyms come from a fixed, public preview key, so they are repeatable but are <em>not</em> the
 * pseudonyms a node would produce, and protect nothing. The date offset is derived the same way.
 */
public final class PreviewContext implements EnforcementContext {

    private static final byte[] PREVIEW_KEY = "twinbridge-preview-not-secret".getBytes(StandardCharsets.UTF_8);
    private final String recipient;
    private final String patientReference;
    private final LocalDate today;

    /**
     * @param patientReference the record's patient (for example {@code Patient/123}), which fixes the date offset
     */
    public PreviewContext(String recipient, String patientReference, LocalDate today) {
        this.recipient = recipient;
        this.patientReference = patientReference;
        this.today = today;
    }

    @Override
    public String pseudonym(String value) {
        return hmac("pseudonym|" + recipient + "|" + value).substring(0, 26);
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
        long value = Long.parseLong(hmac("date-shift|" + recipient + "|" + patientReference).substring(0, 12), 16);
        return (int) (value % (2L * maxDays + 1)) - maxDays;
    }

    @Override
    public LocalDate today() {
        return today;
    }

    @Override
    public String resourceId() {
        return pseudonym("record");
    }

    private static String hmac(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(PREVIEW_KEY, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
