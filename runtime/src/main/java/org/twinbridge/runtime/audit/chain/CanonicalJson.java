package org.twinbridge.runtime.audit.chain;

import java.util.Map;
import java.util.TreeMap;

/**
 * A deterministic JSON rendering for hashing: an object of string values (or nested objects given as
 * already-canonical JSON), keys sorted by UTF-16 code units, no whitespace, and only {@code "}, {@code \} and
 * control characters escaped. The same map always gives the same bytes.
 */
public final class CanonicalJson {

    private CanonicalJson() {
    }

    /** An object of string values; null values are left out. */
    public static String object(Map<String, String> values) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            if (out.length() > 1) {
                out.append(',');
            }
            string(out, e.getKey());
            out.append(':');
            string(out, e.getValue());
        }
        return out.append('}').toString();
    }

    /** Like {@link #object} but values in {@code raw} are inserted as they are (already-canonical JSON). */
    public static String object(Map<String, String> values, Map<String, String> raw) {
        TreeMap<String, String> all = new TreeMap<>();
        values.forEach((k, v) -> {
            if (v != null) {
                StringBuilder quoted = new StringBuilder(v.length() + 2);
                string(quoted, v);
                all.put(k, quoted.toString());
            }
        });
        all.putAll(raw);
        StringBuilder out = new StringBuilder("{");
        all.forEach((k, v) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            string(out, k);
            out.append(':').append(v);
        });
        return out.append('}').toString();
    }

    private static void string(StringBuilder out, String value) {
        out.append('"');
        int plain = 0;
        while (plain < value.length() && plainChar(value.charAt(plain))) {
            plain++;
        }
        // Most values need no escape: copied whole, not a character at a time (the audit chain renders every
        // decision of the hot path through here).
        if (plain == value.length()) {
            out.append(value).append('"');
            return;
        }
        out.append(value, 0, plain);
        for (int i = plain; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '"' || ch == '\\') {
                out.append('\\').append(ch);
            } else if (ch < 0x20) {
                out.append(String.format("\\u%04x", (int) ch));
            } else {
                out.append(ch);
            }
        }
        out.append('"');
    }

    private static boolean plainChar(char ch) {
        return ch >= 0x20 && ch != '"' && ch != '\\';
    }
}
