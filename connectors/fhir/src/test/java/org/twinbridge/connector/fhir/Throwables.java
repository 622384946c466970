package org.twinbridge.connector.fhir;

import java.util.ArrayList;
import java.util.List;

/** Test helpers for exception chains. */
final class Throwables {

    private Throwables() {
    }

    /** {@code toString()} of the throwable and of each cause and suppressed exception under it. */
    static List<String> chainText(Throwable top) {
        List<String> texts = new ArrayList<>();
        List<Throwable> seen = new ArrayList<>();
        for (Throwable t = top; t != null && !seen.contains(t); t = t.getCause()) {
            seen.add(t);
            texts.add(String.valueOf(t));
            for (Throwable suppressed : t.getSuppressed()) {
                texts.add(String.valueOf(suppressed));
            }
        }
        return texts;
    }
}
