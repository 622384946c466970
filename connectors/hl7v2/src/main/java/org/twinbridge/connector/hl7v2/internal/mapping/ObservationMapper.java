package org.twinbridge.connector.hl7v2.internal.mapping;

import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/**
 * OBX to Observation: code (OBX-3; LOINC where the coding system is LN), value by type (2, 5) with UCUM units
 * (6), reference range (7), interpretation from the abnormal flags (8), status (11) and effective time (14, else
 * the order's OBR-7). NTE segments after the OBX become notes. The category is vital-signs for the LOINC
 * vital-sign codes and laboratory (or imaging, from OBR-24) otherwise.
 */
final class ObservationMapper {

    private static final String CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
    private static final String INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
    /** FHIR vital-signs profile codes (and panels) that arrive in lab feeds. */
    private static final Set<String> VITAL_SIGNS = Set.of("85353-1", "9279-1", "8867-4", "2708-6", "59408-5",
            "8310-5", "8302-2", "9843-4", "29463-7", "39156-5", "85354-9", "8480-6", "8462-4", "8478-0");
    private static final Set<String> INTERPRETATIONS = Set.of("L", "H", "LL", "HH", "LU", "HU", "N", "A", "AA",
            "<", ">", "S", "R", "I", "MS", "VS", "NEG", "POS", "IND", "DET", "ND", "U", "D", "B", "W", "E", "EX",
            "HX", "LX", "NCL", "NR", "RR", "SDD", "SYN-R", "SYN-S", "IE", "CAR", "CARRIER", "EXP", "UNE", "OBX");
    private final MessageContext context;
    private final ObservationValues values;

    ObservationMapper(MessageContext context) {
        this.context = context;
        this.values = new ObservationValues(context);
    }

    /**
     * @param orderTime   OBR-7 of the order, used when OBX-14 is empty
     * @param imaging     whether the order's diagnostic service (OBR-24) is imaging
     * @param notes       the NTE segments that follow the OBX
     */
    Observation map(Segment obx, Optional<Reference> subject, Optional<Reference> encounter,
            Optional<DateTimeType> orderTime, boolean imaging, List<Segment> notes) {
        Ledger ledger = context.ledger();
        Observation obs = new Observation();
        obs.setId(context.segmentId("Observation", obx));
        ledger.mapped(obx, 1);
        obs.setStatus(status(Fields.first(obx, 11)));
        ledger.mapped(obx, 11);
        List<Type> codes = Fields.reps(obx, 3);
        if (!codes.isEmpty()) {
            Codings.concept(codes.get(0)).ifPresent(obs::setCode);
            ledger.mapped(obx, 3);
        }
        obs.addCategory(category(obs.getCode(), imaging));
        subject.ifPresent(obs::setSubject);
        encounter.ifPresent(obs::setEncounter);
        Optional<Quantity> unit = values.unit(Fields.reps(obx, 6));
        if (values.setValue(obs, obx, Fields.first(obx, 2), Fields.reps(obx, 5), unit)) {
            ledger.mapped(obx, 2, 5);
        }
        if (unit.isPresent() && (obs.hasValueQuantity() || obs.hasValueRange())) {
            ledger.mapped(obx, 6);
        }
        values.referenceRange(Fields.first(obx, 7), unit).ifPresent(range -> {
            obs.addReferenceRange(range);
            ledger.mapped(obx, 7);
        });
        for (Type flag : Fields.reps(obx, 8)) {
            interpretation(Fields.get(flag, 1), Fields.get(flag, 2)).ifPresent(i -> {
                obs.addInterpretation(i);
                ledger.mapped(obx, 8);
            });
        }
        Optional<DateTimeType> effective = context.dateTime(obx, 14);
        if (effective.isPresent()) {
            ledger.mapped(obx, 14);
        }
        effective.or(() -> orderTime.map(DateTimeType::copy)).ifPresent(obs::setEffective);
        for (Segment nte : notes) {
            ledger.own(nte, obs);
            String text = Fields.reps(nte, 3).stream().map(t -> context.text(Fields.get(t, 1)))
                    .filter(t -> !t.isEmpty())
                    .reduce((a, b) -> a + "\n" + b).orElse("");
            if (!text.isEmpty()) {
                obs.addNote().setText(text);
                ledger.mapped(nte, 1, 3);
            }
        }
        return obs;
    }

    static ObservationStatus status(String code) {
        return switch (code.toUpperCase(Locale.ROOT)) {
            case "F", "U" -> ObservationStatus.FINAL;
            case "P", "R", "S" -> ObservationStatus.PRELIMINARY;
            case "C" -> ObservationStatus.CORRECTED;
            case "A" -> ObservationStatus.AMENDED;
            case "D", "W" -> ObservationStatus.ENTEREDINERROR;
            case "X", "N" -> ObservationStatus.CANCELLED;
            case "I", "O" -> ObservationStatus.REGISTERED;
            default -> ObservationStatus.UNKNOWN;
        };
    }

    private static CodeableConcept category(CodeableConcept code, boolean imaging) {
        boolean vital = code.getCoding().stream()
                .anyMatch(c -> Codings.LOINC.equals(c.getSystem()) && VITAL_SIGNS.contains(c.getCode()));
        String category = vital ? "vital-signs" : imaging ? "imaging" : "laboratory";
        return new CodeableConcept().addCoding(new Coding(CATEGORY, category, null));
    }

    private static Optional<CodeableConcept> interpretation(String code, String text) {
        if (code.isEmpty()) {
            return text.isEmpty() ? Optional.empty() : Optional.of(new CodeableConcept().setText(text));
        }
        String upper = code.toUpperCase(Locale.ROOT);
        Coding coding = INTERPRETATIONS.contains(upper) ? new Coding(INTERPRETATION, upper, null)
                : new Coding("http://terminology.hl7.org/CodeSystem/v2-0078", code, null);
        if (!text.isEmpty()) {
            coding.setDisplay(text);
        }
        return Optional.of(new CodeableConcept().addCoding(coding));
    }
}
