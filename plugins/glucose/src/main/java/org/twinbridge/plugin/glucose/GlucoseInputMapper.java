package org.twinbridge.plugin.glucose;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;

/**
 * Reads glucose, HbA1c, carbohydrate and insulin inputs from FHIR R4 resources. Stateless and thread-safe.
 *
 * <p>Nothing is guessed: an unknown code, an unknown unit, a value with a comparator or a record that was
 * entered in error gives no input.
 */
final class GlucoseInputMapper {

    static final String LOINC = "http://loinc.org";

    /** Glucose in interstitial fluid (HL7 CGM IG sensor readings): always a CGM reading. */
    static final Set<String> CGM_GLUCOSE_CODES = Set.of("99504-3", "105272-9");
    /**
     * Blood, serum/plasma and capillary glucose: a CGM reading when the observation names a device, else a
     * laboratory or point-of-care value.
     */
    static final Set<String> OTHER_GLUCOSE_CODES = Set.of("2339-0", "2345-7", "41653-7", "15074-8", "14749-6");
    /** HbA1c: 4548-4 in NGSP %, 59261-8 in IFCC mmol/mol. */
    static final Set<String> HBA1C_CODES = Set.of("4548-4", "59261-8");
    /** Carbohydrate intake, estimated, in grams. */
    static final String CARBS_CODE = "9059-7";

    /** Every LOINC code the twin reads. */
    static final Set<String> LOINC_CODES = Stream.of(CGM_GLUCOSE_CODES, OTHER_GLUCOSE_CODES, HBA1C_CODES,
            Set.of(CARBS_CODE)).flatMap(Set::stream).collect(java.util.stream.Collectors.toUnmodifiableSet());

    /**
     * Words that name long- or intermediate-acting insulins: the model's insulin-action curve is that of a
     * rapid-acting bolus, so these administrations are not read.
     */
    private static final List<String> BASAL_INSULIN_WORDS = List.of("glargine", "detemir", "degludec", "nph",
            "isophane", "lantus", "levemir", "tresiba", "toujeo", "basaglar", "semglee", "basal");

    /** The input this resource carries, if any. */
    Optional<GlucoseInput> map(Resource resource) {
        if (resource instanceof Observation) {
            return fromObservation((Observation) resource);
        }
        if (resource instanceof MedicationAdministration) {
            return fromAdministration((MedicationAdministration) resource);
        }
        return Optional.empty();
    }

    private Optional<GlucoseInput> fromObservation(Observation observation) {
        if (observation.getStatus() == Observation.ObservationStatus.ENTEREDINERROR
                || observation.getStatus() == Observation.ObservationStatus.CANCELLED
                || !observation.hasValueQuantity()) {
            return Optional.empty();
        }
        Quantity quantity = observation.getValueQuantity();
        for (Coding coding : observation.getCode().getCoding()) {
            if (!LOINC.equals(coding.getSystem()) || coding.getCode() == null) {
                continue;
            }
            String code = coding.getCode();
            if (CGM_GLUCOSE_CODES.contains(code)) {
                return glucose(quantity, GlucoseInput.Kind.CGM_GLUCOSE);
            }
            if (OTHER_GLUCOSE_CODES.contains(code)) {
                return glucose(quantity, observation.hasDevice()
                        ? GlucoseInput.Kind.CGM_GLUCOSE : GlucoseInput.Kind.LAB_GLUCOSE);
            }
            if (HBA1C_CODES.contains(code)) {
                OptionalDouble percent = GlucoseUnits.hba1cPercent(quantity);
                // Outside 2-25% (NGSP) is a unit or transcription error, not an HbA1c.
                if (percent.isPresent() && (percent.getAsDouble() < 2 || percent.getAsDouble() > 25)) {
                    return Optional.empty();
                }
                return of(GlucoseInput.Kind.HBA1C, percent);
            }
            if (CARBS_CODE.equals(code)) {
                return of(GlucoseInput.Kind.CARBS, GlucoseUnits.grams(quantity));
            }
        }
        return Optional.empty();
    }

    private static Optional<GlucoseInput> glucose(Quantity quantity, GlucoseInput.Kind kind) {
        OptionalDouble mgPerDl = GlucoseUnits.glucoseMgPerDl(quantity);
        // Below 10 or above 1000 mg/dL is a unit or transcription error, not a glucose.
        if (mgPerDl.isPresent() && (mgPerDl.getAsDouble() < 10 || mgPerDl.getAsDouble() > 1000)) {
            return Optional.empty();
        }
        return of(kind, mgPerDl);
    }

    private Optional<GlucoseInput> fromAdministration(MedicationAdministration administration) {
        if (administration.getStatus() != MedicationAdministration.MedicationAdministrationStatus.COMPLETED
                || !administration.hasMedicationCodeableConcept() || !administration.hasDosage()
                || !administration.getDosage().hasDose()) {
            return Optional.empty();
        }
        String words = medicationWords(administration.getMedicationCodeableConcept());
        if (!words.contains("insulin") || BASAL_INSULIN_WORDS.stream().anyMatch(words::contains)) {
            return Optional.empty();
        }
        return of(GlucoseInput.Kind.INSULIN, GlucoseUnits.insulinUnits(administration.getDosage().getDose()));
    }

    private static String medicationWords(CodeableConcept medication) {
        StringBuilder words = new StringBuilder(medication.hasText() ? medication.getText() : "");
        for (Coding coding : medication.getCoding()) {
            if (coding.hasDisplay()) {
                words.append(' ').append(coding.getDisplay());
            }
        }
        return words.toString().toLowerCase(Locale.ROOT);
    }

    private static Optional<GlucoseInput> of(GlucoseInput.Kind kind, OptionalDouble value) {
        return value.isPresent() ? Optional.of(new GlucoseInput(kind, value.getAsDouble())) : Optional.empty();
    }
}
