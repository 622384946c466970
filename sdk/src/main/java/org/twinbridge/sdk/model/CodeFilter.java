package org.twinbridge.sdk.model;

/**
 * A coded concept a plugin asks for.
 *
 * @param system the code system URI, for example {@code http://loinc.org}
 * @param code   the code, for example {@code 8867-4}
 */
public record CodeFilter(String system, String code) {

    /** The LOINC code system URI. */
    public static final String LOINC = "http://loinc.org";

    public CodeFilter {
        AuthorisedRecord.requireText(system, "system");
        AuthorisedRecord.requireText(code, "code");
    }

    /** A LOINC code. */
    public static CodeFilter loinc(String code) {
        return new CodeFilter(LOINC, code);
    }
}
