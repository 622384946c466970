package org.twinbridge.policy.federation;

/**
 * The output disclosure-control thresholds of a site, set by its privacy officer under
 * {@code federation.disclosure}. The anchor is DataSHIELD's {@code nfilter} options; where TwinBridge is stricter
 * the difference is named.
 *
 * @param minCell        smallest non-zero count released (a smaller one is suppressed, and enough others with it
 *                       that it cannot be recovered from row or column totals); DataSHIELD {@code nfilter.tab},
 *                       default 3; ours {@value #DEFAULT_MIN_CELL}
 * @param minCohort      fewest contributing subjects for which the site answers at all; DataSHIELD
 *                       {@code nfilter.subset}, default 3; ours {@value #DEFAULT_MIN_COHORT}
 * @param maxCategories  most rows or columns a table may have; DataSHIELD {@code nfilter.levels.max}, default 40
 * @param maxLabelChars  longest row, column or statistic label; DataSHIELD {@code nfilter.string}, default 80
 * @param noise          standard deviation of the Gaussian noise added to each continuous statistic, as a fraction
 *                       of its absolute value; 0 switches noise off (the default). DataSHIELD
 *                       {@code nfilter.noise}, default 0.25, is applied to variances; ours to the released value
 */
public record DisclosureSettings(int minCell, int minCohort, int maxCategories, int maxLabelChars, double noise) {

    public static final int DEFAULT_MIN_CELL = 5;
    public static final int DEFAULT_MIN_COHORT = 10;
    public static final int DEFAULT_MAX_CATEGORIES = 40;
    public static final int DEFAULT_MAX_LABEL_CHARS = 80;

    public DisclosureSettings {
        if (minCell < 2) {
            throw new IllegalArgumentException("min-cell must be at least 2, was " + minCell);
        }
        if (minCohort < minCell) {
            throw new IllegalArgumentException("min-cohort must be at least min-cell (" + minCell + "), was "
                    + minCohort);
        }
        if (maxCategories < 1 || maxCategories > 1000) {
            throw new IllegalArgumentException("max-categories must be 1 to 1000, was " + maxCategories);
        }
        if (maxLabelChars < 8 || maxLabelChars > 200) {
            throw new IllegalArgumentException("max-label-chars must be 8 to 200, was " + maxLabelChars);
        }
        if (!(noise >= 0 && noise <= 1)) {
            throw new IllegalArgumentException("noise must be from 0 to 1, was " + noise);
        }
    }

    /** The defaults above: what a site enforces when its policy set says nothing. */
    public static DisclosureSettings defaults() {
        return new DisclosureSettings(DEFAULT_MIN_CELL, DEFAULT_MIN_COHORT, DEFAULT_MAX_CATEGORIES,
                DEFAULT_MAX_LABEL_CHARS, 0);
    }
}
