package org.twinbridge.policy.enforcement;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;

/**
 * A test enforcement context with a fixed date offset and clock. Pseudonyms are an unkeyed hash, which is
 * enough to recognise them in assertions; references keep their type, so {@code Patient/123} becomes
 * {@code Patient/ps-...}.
 */
record FixedContext(int shiftDays, LocalDate today, String resourceId) implements EnforcementContext {

    static final LocalDate TODAY = LocalDate.of(2025, 6, 15);

    static FixedContext standard() {
        return new FixedContext(-12, TODAY, "view-1");
    }

    @Override
    public String pseudonym(String value) {
        return "ps-" + sha256(value).substring(0, 16);
    }

    @Override
    public ReferenceMapper references() {
        return reference -> typeOf(reference) + "/" + pseudonym(reference);
    }

    @Override
    public int dateShiftDays(int maxDays) {
        return shiftDays;
    }

    /** The resource type of a relative or absolute literal reference. */
    static String typeOf(String reference) {
        String withoutVersion = reference.replaceFirst("/_history/.*$", "");
        String[] parts = withoutVersion.split("/");
        return parts.length >= 2 ? parts[parts.length - 2] : "Unknown";
    }

    private static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
