package org.twinbridge.plugin.tumour;

/** What the twin reads from one record. */
sealed interface TumourInput permits TumourInput.Measurement, TumourInput.Administration {

    /**
     * A target lesion's longest diameter.
     *
     * @param site   which lesion: its body site's code or text, or {@code -} when the observation names none
     *               (then it is taken to be the sum of diameters itself)
     * @param sizeMm the diameter in mm
     */
    record Measurement(String site, double sizeMm) implements TumourInput {

        public Measurement {
            if (site == null || site.isBlank() || !(sizeMm > 0) || !Double.isFinite(sizeMm)) {
                throw new IllegalArgumentException("a measurement has a site and a positive size");
            }
        }
    }

    /**
     * A dose of a drug the catalogue knows.
     *
     * @param drug the drug's name in the catalogue
     * @param dose in the drug's unit
     */
    record Administration(String drug, double dose) implements TumourInput {

        public Administration {
            if (drug == null || drug.isBlank() || !(dose > 0) || !Double.isFinite(dose)) {
                throw new IllegalArgumentException("an administration has a drug and a positive dose");
            }
        }
    }
}
