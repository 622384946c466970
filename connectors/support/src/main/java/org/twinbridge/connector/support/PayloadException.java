package org.twinbridge.connector.support;

/**
 * A payload that will never become records, with a reason fit for operators: it names the rule and the place
 * (line, column, element), never content. Definitive: retrying the same bytes fails the same way.
 */
public final class PayloadException extends Exception {

    private static final long serialVersionUID = 1L;
    private final String code;

    /**
     * @param code   a stable code for the kind of failure, e.g. {@code TB-PAYLOAD-001}
     * @param reason what was wrong, without message content
     */
    public PayloadException(String code, String reason) {
        super(code + " " + reason, null, false, false);
        this.code = code;
    }

    /** The stable code. */
    public String code() {
        return code;
    }

    /** The reason without the code. */
    public String reason() {
        return getMessage().substring(code.length() + 1);
    }
}
