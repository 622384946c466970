package org.twinbridge.runtime.consent;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an operator names a patient on the command line: a business identifier {@code system|value} (for example
 * {@code urn:oid:1.2.36.146.595.217.0.1|12345}), or a source-local id {@code connector:Patient/id} (for example
 * {@code ehr:Patient/123}). {@link #toString()} never prints the value: identifiers are PHI.
 */
public sealed interface PatientId permits PatientId.Identifier, PatientId.Local {

    Pattern LOCAL = Pattern.compile("([a-z0-9][a-z0-9-]{0,62}):Patient/([A-Za-z0-9.-]{1,64})");

    /** {@code system|value}. */
    record Identifier(String system, String value) implements PatientId {
        @Override
        public String toString() {
            return "PatientId.Identifier[system=" + system + "]";
        }
    }

    /** {@code connector:Patient/id}. */
    record Local(String connectorId, String patientId) implements PatientId {
        public String reference() {
            return "Patient/" + patientId;
        }

        @Override
        public String toString() {
            return "PatientId.Local[connector=" + connectorId + "]";
        }
    }

    /** Parses either form; empty for anything else. */
    public static Optional<PatientId> parse(String text) {
        Matcher local = LOCAL.matcher(text);
        if (local.matches()) {
            return Optional.of(new Local(local.group(1), local.group(2)));
        }
        int bar = text.indexOf('|');
        if (bar > 0 && bar < text.length() - 1 && text.indexOf('|', bar + 1) < 0) {
            return Optional.of(new Identifier(text.substring(0, bar), text.substring(bar + 1)));
        }
        return Optional.empty();
    }
}
