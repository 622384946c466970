package org.twinbridge.plugin.news2;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

/**
 * Reads NEWS2 parameters from FHIR R4 Observations by LOINC code, from the observation's own value and from
 * its components (a blood-pressure panel's systolic component, a pulse-oximetry reading's inhaled-oxygen
 * components). Stateless and thread-safe.
 *
 * <p>It maps only what it can justify: a value in an unknown unit, an unknown consciousness term, codes that
 * point at different parameters, or readings of one parameter that disagree within one observation are
 * dropped and reported in {@link Mapping#unmappedCodes()}, never guessed. Observations that are
 * entered-in-error or cancelled are ignored.
 */
public final class LoincVitalSignMapper {

    /** The LOINC code system URI. */
    public static final String LOINC = "http://loinc.org";
    /** The SNOMED CT code system URI. */
    public static final String SNOMED = "http://snomed.info/sct";

    /** What each LOINC code this mapper reads stands for. */
    enum Code {
        RESPIRATION_RATE("9279-1"),
        OXYGEN_SATURATION("59408-5", "2708-6"),
        INHALED_OXYGEN_FLOW("3151-8"),
        INHALED_OXYGEN_CONCENTRATION("3150-0"),
        SYSTOLIC_BLOOD_PRESSURE("8480-6"),
        // 55284-4 is the older "Blood pressure systolic and diastolic" panel that Synthea and many EHRs write.
        BLOOD_PRESSURE_PANEL("85354-9", "55284-4"),
        PULSE("8867-4"),
        // 8331-1 is oral temperature; NEWS2 charts the body temperature whatever the site.
        TEMPERATURE("8310-5", "8331-1"),
        CONSCIOUSNESS("67775-7");

        final List<String> loinc;

        Code(String... loinc) {
            this.loinc = List.of(loinc);
        }
    }

    /** Every LOINC code read, for a plugin's data request. */
    public static final Set<String> LOINC_CODES;

    private static final Map<String, Code> BY_LOINC;

    static {
        Map<String, Code> byLoinc = new HashMap<>();
        for (Code code : Code.values()) {
            code.loinc.forEach(loinc -> byLoinc.put(loinc, code));
        }
        BY_LOINC = Map.copyOf(byLoinc);
        LOINC_CODES = Set.copyOf(byLoinc.keySet());
    }

    // The HL7 UK Care Connect ACVPU value set: the SNOMED CT findings charted for NEWS2 consciousness.
    // General "confusional state" codes are left out: NEWS2 scores new confusion only.
    private static final Map<String, Consciousness> ACVPU_SNOMED = Map.of(
            "248234008", Consciousness.ALERT,          // Mentally alert
            "130987000", Consciousness.CONFUSION,      // Acute confusion
            "300202002", Consciousness.VOICE,          // Responds to voice
            "450847001", Consciousness.PAIN,           // Responds to pain
            "422768004", Consciousness.UNRESPONSIVE);  // Unresponsive

    // Free text as charted: the ACVPU letters, the words, and the common "responds to" phrasing.
    private static final Map<String, Consciousness> ACVPU_TEXT = Map.ofEntries(
            Map.entry("a", Consciousness.ALERT),
            Map.entry("alert", Consciousness.ALERT),
            Map.entry("mentally alert", Consciousness.ALERT),
            Map.entry("c", Consciousness.CONFUSION),
            Map.entry("confusion", Consciousness.CONFUSION),
            Map.entry("new confusion", Consciousness.CONFUSION),
            Map.entry("acute confusion", Consciousness.CONFUSION),
            Map.entry("v", Consciousness.VOICE),
            Map.entry("voice", Consciousness.VOICE),
            Map.entry("verbal", Consciousness.VOICE),
            Map.entry("responds to voice", Consciousness.VOICE),
            Map.entry("p", Consciousness.PAIN),
            Map.entry("pain", Consciousness.PAIN),
            Map.entry("responds to pain", Consciousness.PAIN),
            Map.entry("u", Consciousness.UNRESPONSIVE),
            Map.entry("unresponsive", Consciousness.UNRESPONSIVE));

    private static final Set<String> PER_MINUTE = Set.of("/min", "{breaths}/min", "breaths/min", "{beats}/min",
            "beats/min", "bpm");
    private static final Set<String> PERCENT = Set.of("%");
    private static final Set<String> MM_HG = Set.of("mm[Hg]", "mmHg");
    private static final Set<String> CELSIUS = Set.of("Cel", "°C", "degC");
    private static final Set<String> FAHRENHEIT = Set.of("[degF]", "°F", "degF");

    // A body temperature outside this range is almost surely a unit error (98.6 filed as Celsius).
    private static final double MIN_PLAUSIBLE_CELSIUS = 10;
    private static final double MAX_PLAUSIBLE_CELSIUS = 50;
    // Room air is 21% oxygen; more than that is supplemental.
    private static final double AIR_OXYGEN_PERCENT = 21;

    /**
     * What an observation yielded.
     *
     * @param readings      at most one reading per parameter
     * @param unmappedCodes the LOINC codes of relevant elements whose value could not be read (codes only:
     *                      the values are patient data)
     */
    public record Mapping(List<VitalSignReading> readings, List<String> unmappedCodes) {

        /** Nothing read and nothing relevant. */
        public static final Mapping NONE = new Mapping(List.of(), List.of());

        public Mapping {
            readings = List.copyOf(readings);
            unmappedCodes = List.copyOf(unmappedCodes);
        }
    }

    /**
     * Reads the NEWS2 parameters in an observation.
     *
     * @param observation the observation; never null
     * @param effective   when the values were true clinically, stamped on every reading
     */
    public Mapping map(Observation observation, Optional<Instant> effective) {
        Objects.requireNonNull(observation, "observation");
        Objects.requireNonNull(effective, "effective");
        ObservationStatus status = observation.getStatus();
        if (status == ObservationStatus.ENTEREDINERROR || status == ObservationStatus.CANCELLED) {
            return Mapping.NONE;
        }
        Map<Parameter, VitalSignReading> readings = new EnumMap<>(Parameter.class);
        Set<Parameter> conflicting = EnumSet.noneOf(Parameter.class);
        Set<String> unmapped = new LinkedHashSet<>();

        read(observation.getCode(), observation.getValue(), effective, readings, conflicting, unmapped);
        for (Observation.ObservationComponentComponent component : observation.getComponent()) {
            read(component.getCode(), component.getValue(), effective, readings, conflicting, unmapped);
        }
        for (Parameter parameter : conflicting) {
            readings.remove(parameter);
        }
        if (readings.isEmpty() && unmapped.isEmpty()) {
            return Mapping.NONE;
        }
        return new Mapping(new ArrayList<>(readings.values()), new ArrayList<>(unmapped));
    }

    private static void read(CodeableConcept concept, Type value, Optional<Instant> effective,
            Map<Parameter, VitalSignReading> readings, Set<Parameter> conflicting, Set<String> unmapped) {
        Set<Code> codes = new LinkedHashSet<>();
        List<String> loincs = new ArrayList<>();
        for (Coding coding : concept.getCoding()) {
            Code code = LOINC.equals(coding.getSystem()) ? BY_LOINC.get(coding.getCode()) : null;
            if (code != null) {
                codes.add(code);
                loincs.add(coding.getCode());
            }
        }
        if (codes.isEmpty() || codes.equals(Set.of(Code.BLOOD_PRESSURE_PANEL))) {
            return; // not ours, or a panel whose values are in its components
        }
        Optional<VitalSignReading> reading = codes.size() == 1
                ? readValue(codes.iterator().next(), value, effective)
                : Optional.empty(); // one element coded as two different parameters: ambiguous
        if (reading.isEmpty()) {
            unmapped.add(loincs.get(0));
            return;
        }
        VitalSignReading held = readings.putIfAbsent(reading.get().parameter(), reading.get());
        if (held != null && !held.equals(reading.get())) {
            conflicting.add(held.parameter());
            unmapped.add(loincs.get(0));
        }
    }

    private static Optional<VitalSignReading> readValue(Code code, Type value, Optional<Instant> effective) {
        return switch (code) {
            case RESPIRATION_RATE -> measurement(Parameter.RESPIRATION_RATE, value, PER_MINUTE, effective);
            case OXYGEN_SATURATION -> measurement(Parameter.OXYGEN_SATURATION, value, PERCENT, effective);
            case SYSTOLIC_BLOOD_PRESSURE -> measurement(Parameter.SYSTOLIC_BLOOD_PRESSURE, value, MM_HG, effective);
            case PULSE -> measurement(Parameter.PULSE, value, PER_MINUTE, effective);
            case TEMPERATURE -> temperature(value, effective);
            case INHALED_OXYGEN_FLOW -> oxygenFlow(value, effective);
            case INHALED_OXYGEN_CONCENTRATION -> oxygenConcentration(value, effective);
            case CONSCIOUSNESS -> consciousness(value).map(level -> new VitalSignReading.Level(level, effective));
            case BLOOD_PRESSURE_PANEL -> Optional.empty();
        };
    }

    private static Optional<VitalSignReading> measurement(
            Parameter parameter, Type value, Set<String> units, Optional<Instant> effective) {
        return quantity(value)
                .filter(q -> units.contains(unitOf(q)))
                .map(q -> q.getValue().doubleValue())
                .filter(v -> VitalSignReading.Measurement.accepts(parameter, v))
                .map(v -> new VitalSignReading.Measurement(parameter, v, effective));
    }

    private static Optional<VitalSignReading> temperature(Type value, Optional<Instant> effective) {
        return quantity(value)
                .flatMap(q -> {
                    String unit = unitOf(q);
                    if (CELSIUS.contains(unit)) {
                        return Optional.of(q.getValue());
                    }
                    if (FAHRENHEIT.contains(unit)) {
                        // Decimal arithmetic so that 95.0 °F is exactly 35.0 °C at the chart boundary.
                        return Optional.of(q.getValue().subtract(BigDecimal.valueOf(32))
                                .multiply(BigDecimal.valueOf(5)).divide(BigDecimal.valueOf(9), MathContext.DECIMAL64));
                    }
                    return Optional.empty();
                })
                .map(BigDecimal::doubleValue)
                .filter(c -> c >= MIN_PLAUSIBLE_CELSIUS && c <= MAX_PLAUSIBLE_CELSIUS)
                .map(c -> new VitalSignReading.Measurement(Parameter.TEMPERATURE, c, effective));
    }

    private static Optional<VitalSignReading> oxygenFlow(Type value, Optional<Instant> effective) {
        // Any flow at all means supplemental oxygen, whatever the unit; zero flow means air.
        return quantity(value)
                .map(q -> q.getValue().signum())
                .filter(sign -> sign >= 0)
                .map(sign -> new VitalSignReading.OxygenSupply(sign > 0, effective));
    }

    private static Optional<VitalSignReading> oxygenConcentration(Type value, Optional<Instant> effective) {
        return quantity(value)
                .filter(q -> PERCENT.contains(unitOf(q)))
                .map(q -> q.getValue().doubleValue())
                .filter(percent -> percent >= 0 && percent <= 100)
                .map(percent -> new VitalSignReading.OxygenSupply(percent > AIR_OXYGEN_PERCENT, effective));
    }

    private static Optional<Consciousness> consciousness(Type value) {
        Set<Consciousness> levels = EnumSet.noneOf(Consciousness.class);
        if (value instanceof CodeableConcept concept) {
            for (Coding coding : concept.getCoding()) {
                if (SNOMED.equals(coding.getSystem()) && ACVPU_SNOMED.containsKey(coding.getCode())) {
                    levels.add(ACVPU_SNOMED.get(coding.getCode()));
                }
            }
            if (levels.isEmpty()) {
                // No known code: fall back to the words, the concept's text first, then the codings' displays.
                text(concept.getText()).ifPresent(levels::add);
                concept.getCoding().forEach(coding -> text(coding.getDisplay()).ifPresent(levels::add));
            }
        } else if (value instanceof StringType string) {
            text(string.getValue()).ifPresent(levels::add);
        }
        // Two different levels in one value is a contradiction, not something to pick from.
        return levels.size() == 1 ? Optional.of(levels.iterator().next()) : Optional.empty();
    }

    private static Optional<Consciousness> text(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String normalised = text.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        return Optional.ofNullable(ACVPU_TEXT.get(normalised));
    }

    private static Optional<Quantity> quantity(Type value) {
        return value instanceof Quantity q && q.getValue() != null && q.getComparator() == null
                ? Optional.of(q)
                : Optional.empty();
    }

    private static String unitOf(Quantity quantity) {
        // The UCUM code is the machine-readable unit; the display unit is the fallback when no code is sent.
        String unit = quantity.hasCode() ? quantity.getCode() : quantity.getUnit();
        return unit == null ? "" : unit.trim();
    }
}
