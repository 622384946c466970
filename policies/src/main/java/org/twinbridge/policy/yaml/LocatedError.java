package org.twinbridge.policy.yaml;

/**
 * One mistake in a YAML file (configuration, policy, code list, policy test), located in the file.
 *
 * @param file    the file as the user named it
 * @param line    1-based line, or 0 if unknown
 * @param column  1-based column, or 0 if unknown
 * @param code    a stable error code such as {@code TB-CONFIG-004}
 * @param message what was wrong and what is expected; never holds secrets or PHI
 */
public record LocatedError(String file, int line, int column, String code, String message) {

    /** The {@code file:line:column: code message} form that editors can jump to. */
    public String format() {
        return file + ":" + line + ":" + column + ": " + code + " " + message;
    }
}
