package org.twinbridge.sdk.error;

/**
 * One stable TwinBridge error code: the {@code TB-<AREA>-NNN} a message starts with, what it means and what the
 * reader should do about it. Every code the node, its tools, connectors and bundled plugins print is one constant
 * of one of the permitted enums, and {@code docs/errors.md} is rendered from them (see {@link ErrorCatalogue}).
 *
 * <p>Call sites keep the literal code in their message, as HAPI FHIR's {@code Msg.code(n)} does; the catalogue
 * is what gives each code one meaning, and a test holds the two together. Implementations are immutable enum
 * constants, safe to share between threads; no method returns null. Meanings and fixes never hold PHI.
 */
public sealed interface ErrorCode
        permits ApiErrors, ConnectorErrors, FederationErrors, NodeErrors, PolicyErrors, SecurityErrors, ToolErrors, TwinErrors {

    /**
     * A code's text: the code as printed (for example {@code TB-API-005}), what went wrong and what the reader
     * should do about it, each in one sentence.
     */
    record Entry(String code, String meaning, String fix) {
        public Entry {
            java.util.Objects.requireNonNull(code, "code");
            java.util.Objects.requireNonNull(meaning, "meaning");
            java.util.Objects.requireNonNull(fix, "fix");
        }
    }

    /** This code's text. */
    Entry entry();

    /** The code as printed, for example {@code TB-API-005}. */
    default String code() {
        return entry().code();
    }

    /** What went wrong, in one sentence. */
    default String meaning() {
        return entry().meaning();
    }

    /** What the reader should do about it, in one sentence. */
    default String fix() {
        return entry().fix();
    }

    /** The area between {@code TB-} and the number, for example {@code API}. */
    default String area() {
        return code().substring(3, code().lastIndexOf('-'));
    }
}
