package org.twinbridge.plugin.implant;

import java.util.Arrays;
import java.util.Optional;

/**
 * The device measurements the twin reads, with the code each is recognised by and the unit it must carry.
 * All are ISO/IEEE 11073-10103 (MDC IDC) terms in {@link #MDC}, as the HL7 CardX CIED guide codes interrogation
 * data. The twin's own code system {@link #TWIN} is for what the twin computes (its outputs), never for an input.
 * Where each numeric code was confirmed is in the README.
 */
enum Measure {
    BATTERY_VOLTAGE(Measure.MDC, "721344", "MDC_IDC_MSMT_BATTERY_VOLTAGE", "V", "V"),
    BATTERY_LONGEVITY(Measure.MDC, "721472", "MDC_IDC_MSMT_BATTERY_REMAINING_LONGEVITY", "mo", "mo"),
    RA_THRESHOLD(Measure.MDC, "722176", "MDC_IDC_MSMT_LEADCHNL_RA_PACING_THRESHOLD_AMPLITUDE", "V", "RA"),
    RV_THRESHOLD(Measure.MDC, "722177", "MDC_IDC_MSMT_LEADCHNL_RV_PACING_THRESHOLD_AMPLITUDE", "V", "RV"),
    RA_IMPEDANCE(Measure.MDC, "722432", "MDC_IDC_MSMT_LEADCHNL_RA_IMPEDANCE_VALUE", "Ohm", "RA"),
    RV_IMPEDANCE(Measure.MDC, "722433", "MDC_IDC_MSMT_LEADCHNL_RV_IMPEDANCE_VALUE", "Ohm", "RV"),
    RV_PERCENT_PACED(Measure.MDC, "737536", "MDC_IDC_STAT_BRADY_RV_PERCENT_PACED", "%", "RV");

    static final String MDC = "urn:iso:std:iso:11073:10101";
    static final String TWIN = "https://twinbridge.org/fhir/CodeSystem/implant-twin";

    private final String system;
    private final String code;
    private final String display;
    private final String unit;
    private final String channel;

    Measure(String system, String code, String display, String unit, String channel) {
        this.system = system;
        this.code = code;
        this.display = display;
        this.unit = unit;
        this.channel = channel;
    }

    static Optional<Measure> of(String system, String code) {
        return Arrays.stream(values()).filter(m -> m.system.equals(system) && m.code.equals(code)).findFirst();
    }

    String system() {
        return system;
    }

    String code() {
        return code;
    }

    String display() {
        return display;
    }

    /** The UCUM unit the value must be in; a reading in any other unit is ignored, never converted by guess. */
    String unit() {
        return unit;
    }

    /** The lead channel (RA, RV) of a lead measurement. */
    String channel() {
        return channel;
    }

    boolean isImpedance() {
        return this == RA_IMPEDANCE || this == RV_IMPEDANCE;
    }

    boolean isThreshold() {
        return this == RA_THRESHOLD || this == RV_THRESHOLD;
    }
}
