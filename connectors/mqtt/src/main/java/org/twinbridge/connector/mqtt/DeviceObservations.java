package org.twinbridge.connector.mqtt;

import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;

/**
 * Completes device Observations that arrive as FHIR (such as the Personal Health Device IG's, coded in IEEE
 * 11073 MDC): adds the LOINC code beside a known MDC code, and the vital-signs or laboratory category a
 * reading needs for policies and twins to recognise it. Existing codings are kept; nothing is removed.
 * Stateless, thread-safe.
 */
final class DeviceObservations {

    static final String MDC = "urn:iso:std:iso:11073:10101";

    /** A LOINC code and the category it belongs to. */
    private record Loinc(String code, String display, String category) {
    }

    private static final Map<String, Loinc> BY_MDC = Map.ofEntries(
            Map.entry("149530", new Loinc("8867-4", "Heart rate", "vital-signs")),   // MDC_PULS_OXIM_PULS_RATE
            Map.entry("149546", new Loinc("8867-4", "Heart rate", "vital-signs")),   // MDC_PULS_RATE_NON_INV
            Map.entry("147842", new Loinc("8867-4", "Heart rate", "vital-signs")),   // MDC_ECG_HEART_RATE
            Map.entry("150456", new Loinc("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry",
                    "vital-signs")),                                                  // MDC_PULS_OXIM_SAT_O2
            Map.entry("150020", new Loinc("85354-9", "Blood pressure panel with all children optional",
                    "vital-signs")),                                                  // MDC_PRESS_BLD_NONINV
            Map.entry("150021", new Loinc("8480-6", "Systolic blood pressure", "vital-signs")),
            Map.entry("150022", new Loinc("8462-4", "Diastolic blood pressure", "vital-signs")),
            Map.entry("150023", new Loinc("8478-0", "Mean blood pressure", "vital-signs")),
            Map.entry("150364", new Loinc("8310-5", "Body temperature", "vital-signs")),      // MDC_TEMP_BODY
            Map.entry("151562", new Loinc("9279-1", "Respiratory rate", "vital-signs")),      // MDC_RESP_RATE
            Map.entry("188736", new Loinc("29463-7", "Body weight", "vital-signs")),     // MDC_MASS_BODY_ACTUAL
            Map.entry("160368", new Loinc("41653-7", "Glucose [Mass/volume] in Capillary blood by Glucometer",
                    "laboratory")));                              // MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD

    private static final Map<String, String> CATEGORY_BY_LOINC = Map.ofEntries(
            Map.entry("8867-4", "vital-signs"), Map.entry("59408-5", "vital-signs"),
            Map.entry("2708-6", "vital-signs"), Map.entry("85354-9", "vital-signs"),
            Map.entry("8480-6", "vital-signs"), Map.entry("8462-4", "vital-signs"),
            Map.entry("8310-5", "vital-signs"), Map.entry("9279-1", "vital-signs"),
            Map.entry("29463-7", "vital-signs"), Map.entry("2339-0", "laboratory"),
            Map.entry("15074-8", "laboratory"), Map.entry("41653-7", "laboratory"));

    private DeviceObservations() {
    }

    /** Adds LOINC codes and the category, in place. */
    static void complete(Observation obs) {
        String category = addLoinc(obs.getCode());
        for (Observation.ObservationComponentComponent component : obs.getComponent()) {
            addLoinc(component.getCode());
        }
        if (category != null && obs.getCategory().stream().flatMap(c -> c.getCoding().stream())
                .noneMatch(c -> OpenMHealthMapper.CATEGORY_SYSTEM.equals(c.getSystem()))) {
            obs.addCategory(new CodeableConcept().addCoding(new Coding(OpenMHealthMapper.CATEGORY_SYSTEM, category,
                    category.equals("laboratory") ? "Laboratory" : "Vital Signs")));
        }
    }

    /** Adds the LOINC coding for a known MDC code; returns the category of the concept, if it has one. */
    private static String addLoinc(CodeableConcept concept) {
        List<Coding> codings = List.copyOf(concept.getCoding());
        for (Coding coding : codings) {
            if (OpenMHealthMapper.LOINC.equals(coding.getSystem()) && CATEGORY_BY_LOINC.containsKey(coding.getCode())) {
                return CATEGORY_BY_LOINC.get(coding.getCode());
            }
        }
        for (Coding coding : codings) {
            Loinc loinc = MDC.equals(coding.getSystem()) ? BY_MDC.get(coding.getCode()) : null;
            if (loinc != null) {
                concept.addCoding(new Coding(OpenMHealthMapper.LOINC, loinc.code(), loinc.display()));
                if (loinc.code().equals("59408-5")) {
                    concept.addCoding(new Coding(OpenMHealthMapper.LOINC, "2708-6",
                            "Oxygen saturation in Arterial blood"));
                }
                return loinc.category();
            }
        }
        return null;
    }
}
