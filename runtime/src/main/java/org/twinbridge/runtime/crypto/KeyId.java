package org.twinbridge.runtime.crypto;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The id of one key version in the node keystore, written {@code <family>-v<version>} (its keystore alias).
 *
 * @param version 1 for the key {@code keys init} made, one more for each rotation
 */
public record KeyId(KeyFamily family, int version) implements Comparable<KeyId> {

    private static final Pattern FORMAT = Pattern.compile("([a-z-]+)-v([1-9][0-9]{0,5})");

    public KeyId {
        Objects.requireNonNull(family, "family");
        if (version < 1) {
            throw new IllegalArgumentException("key versions start at 1, not " + version);
        }
    }

    /** Parses {@code kek-v2}; empty for anything else (such as an alias this version does not know). */
    public static Optional<KeyId> parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        return KeyFamily.byAlias(m.group(1)).map(f -> new KeyId(f, Integer.parseInt(m.group(2))));
    }

    public KeyId next() {
        return new KeyId(family, version + 1);
    }

    @Override
    public int compareTo(KeyId other) {
        int byFamily = family.compareTo(other.family);
        return byFamily != 0 ? byFamily : Integer.compare(version, other.version);
    }

    /** The keystore alias, e.g. {@code kek-v2}. */
    @Override
    public String toString() {
        return family.alias() + "-v" + version;
    }
}
