package org.twinbridge.plugin.news2;

/**
 * The NEWS2 clinical risk band, declared from lowest to highest so that {@link #compareTo} orders by risk.
 */
public enum RiskBand {
    LOW("low"),
    LOW_MEDIUM("low-medium"),
    MEDIUM("medium"),
    HIGH("high");

    private final String code;

    RiskBand(String code) {
        this.code = code;
    }

    /** The qualitative name: {@code low}, {@code low-medium}, {@code medium} or {@code high}. */
    public String code() {
        return code;
    }

    /** True if this band is higher risk than {@code other}. */
    public boolean isAbove(RiskBand other) {
        return compareTo(other) > 0;
    }

    /**
     * The band for an aggregate score: 0-4 is low, 5-6 medium and 7 or more high; a score of 3 in any single
     * parameter raises a low aggregate to low-medium (an "urgent ward-based response" trigger in the chart).
     *
     * @param total            the aggregate score, 0 or more
     * @param highestParameter the highest single-parameter score, 0 to 3
     * @throws IllegalArgumentException if either value is out of range
     */
    public static RiskBand of(int total, int highestParameter) {
        if (total < 0 || highestParameter < 0 || highestParameter > 3 || highestParameter > total) {
            throw new IllegalArgumentException("TB-NEWS2-003: no risk band for total " + total
                    + " with highest parameter score " + highestParameter
                    + "; the total must be at least the highest parameter score, which is 0 to 3");
        }
        if (total >= 7) {
            return HIGH;
        }
        if (total >= 5) {
            return MEDIUM;
        }
        return highestParameter == 3 ? LOW_MEDIUM : LOW;
    }

    /** The band with this {@link #code()}. */
    public static RiskBand fromCode(String code) {
        for (RiskBand band : values()) {
            if (band.code.equals(code)) {
                return band;
            }
        }
        throw new IllegalArgumentException(
                "TB-NEWS2-004: unknown risk band '" + code + "'; expected low, low-medium, medium or high");
    }
}
