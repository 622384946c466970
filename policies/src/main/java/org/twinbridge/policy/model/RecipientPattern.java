package org.twinbridge.policy.model;

import java.util.regex.Pattern;

/**
 * A plugin id or a glob over plugin ids, where {@code *} matches any run of characters:
 * {@code news2-twin}, {@code research-*}, {@code *}.
 */
public record RecipientPattern(String glob) {

    private static final Pattern VALID = Pattern.compile("[a-z0-9*][a-z0-9*-]{0,62}");

    public RecipientPattern {
        if (glob == null || !VALID.matcher(glob).matches()) {
            throw new IllegalArgumentException("recipient '" + glob
                    + "' must be a plugin id (lower-case letters, digits, dashes) or a pattern with *");
        }
    }

    public static boolean isValid(String glob) {
        return glob != null && VALID.matcher(glob).matches();
    }

    public boolean matches(String recipient) {
        return matches(glob, 0, recipient, 0);
    }

    private static boolean matches(String glob, int g, String text, int t) {
        while (g < glob.length()) {
            char c = glob.charAt(g);
            if (c == '*') {
                for (int i = t; i <= text.length(); i++) {
                    if (matches(glob, g + 1, text, i)) {
                        return true;
                    }
                }
                return false;
            }
            if (t >= text.length() || text.charAt(t) != c) {
                return false;
            }
            g++;
            t++;
        }
        return t == text.length();
    }

    @Override
    public String toString() {
        return glob;
    }
}
