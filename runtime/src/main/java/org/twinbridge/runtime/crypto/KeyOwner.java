package org.twinbridge.runtime.crypto;

import java.util.Objects;

/**
 * Whose data a data key protects. Each owner has at most one live key; destroying it makes everything it
 * encrypted unreadable (crypto-shredding).
 *
 * @param value {@code patient/<internal patient key>}, {@code plugin/<plugin id>} or
 *              {@code node/unlinked-records}; never PHI
 */
public record KeyOwner(String value) {

    public KeyOwner {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > 120 || !value.matches("(patient|plugin|node)/[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("key owner must be patient/<key>, plugin/<id> or node/<name> "
                    + "(letters, digits, '.', '_', '-'; at most 120 characters)");
        }
    }

    /** The key of one patient's journalled records. */
    public static KeyOwner patient(String patientKey) {
        return new KeyOwner("patient/" + patientKey);
    }

    /** The key of one plugin's state and outputs. */
    public static KeyOwner plugin(String pluginId) {
        return new KeyOwner("plugin/" + pluginId);
    }

    /** The key of journalled records that could not be linked to a patient. */
    public static KeyOwner unlinkedRecords() {
        return new KeyOwner("node/unlinked-records");
    }

    @Override
    public String toString() {
        return value;
    }
}
