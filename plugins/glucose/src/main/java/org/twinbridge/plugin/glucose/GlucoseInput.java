package org.twinbridge.plugin.glucose;

/**
 * One thing the twin read from a record, in the twin's own units.
 *
 * @param kind  what was read
 * @param value in {@link Kind#unit()}
 */
record GlucoseInput(Kind kind, double value) {

    GlucoseInput {
        if (kind == null) {
            throw new IllegalArgumentException("kind must be given");
        }
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException("value must be finite and not negative, was " + value);
        }
    }

    /** The kinds of input. */
    enum Kind {
        /** A continuous glucose monitor reading (interstitial), mg/dL. */
        CGM_GLUCOSE("mg/dL"),
        /** A laboratory or point-of-care glucose, mg/dL. */
        LAB_GLUCOSE("mg/dL"),
        /** Haemoglobin A1c, NGSP percent. */
        HBA1C("%"),
        /** Carbohydrate eaten, grams. */
        CARBS("g"),
        /** Rapid-acting insulin given, international units. */
        INSULIN("U");

        private final String unit;

        Kind(String unit) {
            this.unit = unit;
        }

        String unit() {
            return unit;
        }
    }
}
