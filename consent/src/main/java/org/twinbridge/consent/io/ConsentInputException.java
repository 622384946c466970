package org.twinbridge.consent.io;

import java.util.List;

/**
 * A consent file could not be read. Each problem is {@code location: TB-CONSENT-nnn message}; messages name
 * files, positions and resource types, never content.
 */
public final class ConsentInputException extends Exception {

    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public ConsentInputException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
