package org.twinbridge.plugin.news2;

/** How a NEWS2 score moved against the previous one emitted for the same subject. */
public enum Trend {
    RISING("rising"),
    FALLING("falling"),
    STABLE("stable");

    private final String word;

    Trend(String word) {
        this.word = word;
    }

    /** The lower-case word used in summaries. */
    public String word() {
        return word;
    }

    /** The trend from {@code previous} to {@code current}. */
    public static Trend between(int previous, int current) {
        return current > previous ? RISING : current < previous ? FALLING : STABLE;
    }
}
