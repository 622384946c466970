package org.twinbridge.plugin.tumour;

/**
 * RECIST 1.1 target-lesion response (Eisenhauer et al., Eur J Cancer 2009), from sums of diameters.
 *
 * <ul>
 *   <li><b>CR</b>, complete response: every target lesion gone. A model never reaches zero, so "gone" is a
 *   predicted sum below {@value #GONE_BELOW_MM} mm, under what CT resolves.</li>
 *   <li><b>PD</b>, progressive disease: the sum at least 20% above the smallest sum on study (the nadir,
 *   baseline included) <em>and</em> at least 5 mm above it.</li>
 *   <li><b>PR</b>, partial response: the sum at least 30% below the baseline sum.</li>
 *   <li><b>SD</b>, stable disease: neither.</li>
 * </ul>
 * Checked in that order, so PD wins over PR (a tumour that shrank by half and then regrew by a quarter has
 * progressed). Sums are compared as recorded, to 0.1 mm (rounded half up), in exact integer arithmetic, so the
 * 30%, 20% and 5 mm boundaries fall exactly where RECIST puts them. New lesions and non-target lesions, which
 * RECIST also weighs, are outside this model.
 */
enum RecistCategory {
    CR("Complete response"),
    PR("Partial response"),
    SD("Stable disease"),
    PD("Progressive disease");

    static final double GONE_BELOW_MM = 2.0;

    private final String display;

    RecistCategory(String display) {
        this.display = display;
    }

    String display() {
        return display;
    }

    /**
     * The category of {@code currentMm} against the baseline sum and the nadir (the smallest sum so far,
     * baseline included, current excluded). A nadir of zero (everything gone) makes any regrowth of 5 mm PD.
     */
    static RecistCategory of(double baselineMm, double nadirMm, double currentMm) {
        long baseline = tenths(baselineMm);
        long nadir = tenths(nadirMm);
        long current = tenths(currentMm);
        if (baseline <= 0 || nadir < 0 || current < 0 || nadir > baseline) {
            throw new IllegalArgumentException("RECIST needs a positive baseline sum, a nadir from zero up to the"
                    + " baseline, and a current sum not negative");
        }
        if (current < tenths(GONE_BELOW_MM)) {
            return CR;
        }
        if (10 * current >= 12 * nadir && current - nadir >= 50) {
            return PD;
        }
        if (10 * current <= 7 * baseline) {
            return PR;
        }
        return SD;
    }

    private static long tenths(double mm) {
        return Math.round(mm * 10);
    }
}
