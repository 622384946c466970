package org.twinbridge.plugin.news2;

/** The seven physiological parameters of the NEWS2 chart, in chart order. */
public enum Parameter {
    RESPIRATION_RATE("respiration rate"),
    OXYGEN_SATURATION("SpO2"),
    AIR_OR_OXYGEN("air or oxygen"),
    SYSTOLIC_BLOOD_PRESSURE("systolic blood pressure"),
    PULSE("pulse"),
    CONSCIOUSNESS("consciousness"),
    TEMPERATURE("temperature");

    private final String label;

    Parameter(String label) {
        this.label = label;
    }

    /** A short human label, for example {@code respiration rate}. */
    public String label() {
        return label;
    }

    /** True for the parameters charted as a number (all except air or oxygen, and consciousness). */
    public boolean isNumeric() {
        return this != AIR_OR_OXYGEN && this != CONSCIOUSNESS;
    }
}
