package org.twinbridge.plugin.glucose;

/**
 * The Clarke error grid (Clarke et al., Diabetes Care 1987;10:622-8): the clinical meaning of a glucose estimate
 * against the reference, in zones A (clinically accurate) to E (erroneous treatment), both in mg/dL. Boundaries as
 * in the original figure and its common software rendering: A within 20% or both below 70; E on opposite sides of
 * the 70/180 band; C for over-correction; D for a failure to detect; B otherwise. An evaluation tool, not part of
 * the twin.
 */
final class ClarkeErrorGrid {

    private ClarkeErrorGrid() {
    }

    static char zone(double reference, double estimate) {
        if ((reference <= 70 && estimate <= 70) || (estimate <= 1.2 * reference && estimate >= 0.8 * reference)) {
            return 'A';
        }
        if ((reference >= 180 && estimate <= 70) || (reference <= 70 && estimate >= 180)) {
            return 'E';
        }
        if ((reference >= 70 && reference <= 290 && estimate >= reference + 110)
                || (reference >= 130 && reference <= 180 && estimate <= (7.0 / 5) * reference - 182)) {
            return 'C';
        }
        if ((reference >= 240 && estimate >= 70 && estimate <= 180)
                || (reference <= 175.0 / 3 && estimate <= 180 && estimate >= 70)
                || (reference >= 175.0 / 3 && reference <= 70 && estimate >= (6.0 / 5) * reference)) {
            return 'D';
        }
        return 'B';
    }
}
