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
        permits ApiErrors, ConnectorErrors, NodeErrors, PolicyErrors, SecurityErrors, ToolErrors, TwinErrors {

    /** The code as printed, for example {@code TB-API-005}. */
    String code();

    /** What went wrong, in one sentence. */
    String meaning();

    /** What the reader should do about it, in one sentence. */
    String fix();

    /** The area between {@code TB-} and the number, for example {@code API}. */
    default String area() {
        return code().substring(3, code().lastIndexOf('-'));
    }
}
