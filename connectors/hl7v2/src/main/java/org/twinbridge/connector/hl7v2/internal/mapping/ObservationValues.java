package org.twinbridge.connector.hl7v2.internal.mapping;

import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Ratio;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.TimeType;

/**
 * OBX-5 by its value type (OBX-2), OBX-6 units and OBX-7 reference ranges. Numbers become Quantities with
 * UCUM units where the unit is UCUM; structured numerics (SN) become a comparator Quantity, a Range or a Ratio;
 * text types become strings (repetitions joined by line breaks); coded types CodeableConcepts; date/times
 * dateTimes. Other types (ED, RP, NA, ...) are left unmapped rather than guessed.
 */
final class ObservationValues {

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");
    private static final Pattern RANGE = Pattern.compile(
            "\\s*([+-]?\\d*\\.?\\d+)\\s*(?:-|_|–|to)\\s*([+-]?\\d*\\.?\\d+)\\s*");
    private static final Pattern BOUND = Pattern.compile("\\s*(<=|>=|<|>)\\s*([+-]?\\d*\\.?\\d+)\\s*");
    private final MessageContext context;

    ObservationValues(MessageContext context) {
        this.context = context;
    }

    /**
     * Sets the observation's value from OBX-5.
     *
     * @return whether every repetition of OBX-5 was mapped
     * @throws InvalidValue if OBX-5 does not parse as the type OBX-2 declares (a numeric type that holds no
     *                      number, a date that is no date): a lab value must not be kept as something else
     */
    boolean setValue(Observation obs, Segment obx, String valueType, List<Type> reps, Optional<Quantity> unit) {
        if (reps.isEmpty()) {
            return true;
        }
        Type first = reps.get(0);
        switch (valueType.toUpperCase(Locale.ROOT)) {
            case "NM" -> {
                String text = Fields.get(first, 1);
                if (!NUMBER.matcher(text).matches()) {
                    throw context.invalid(obx, 5, "NM");
                }
                obs.setValue(quantity(new BigDecimal(text), unit));
                return reps.size() == 1;
            }
            case "SN" -> {
                if (!structuredNumeric(obs, first, unit)) {
                    throw context.invalid(obx, 5, "SN");
                }
                return reps.size() == 1;
            }
            case "ST", "TX", "FT", "" -> {
                StringBuilder text = new StringBuilder();
                for (Type rep : reps) {
                    if (text.length() > 0) {
                        text.append('\n');
                    }
                    text.append(context.text(Fields.get(rep, 1)));
                }
                obs.setValue(new StringType(text.toString()));
                return true;
            }
            case "CE", "CWE", "CNE", "CF" -> {
                Codings.concept(first).ifPresent(obs::setValue);
                return obs.hasValue() && reps.size() == 1;
            }
            case "DT", "TS", "DTM" -> {
                obs.setValue(context.dates().dateTime(Fields.get(first, 1))
                        .orElseThrow(() -> context.invalid(obx, 5, valueType.toUpperCase(Locale.ROOT))));
                return reps.size() == 1;
            }
            case "TM" -> {
                String time = Fields.get(first, 1);
                if (!time.matches("([01]\\d|2[0-3])[0-5]\\d([0-5]\\d)?")) {
                    throw context.invalid(obx, 5, "TM");
                }
                obs.setValue(new TimeType(time.substring(0, 2) + ":" + time.substring(2, 4) + ":"
                        + (time.length() == 6 ? time.substring(4, 6) : "00")));
                return reps.size() == 1;
            }
            default -> {
                return false;
            }
        }
    }

    /** OBX-6: the unit, UCUM-coded when its coding system says UCUM or it is valid UCUM without a system. */
    Optional<Quantity> unit(List<Type> units) {
        if (units.isEmpty()) {
            return Optional.empty();
        }
        Type cwe = units.get(0);
        String code = Fields.get(cwe, 1);
        String text = Fields.get(cwe, 2);
        String system = Fields.get(cwe, 3);
        Quantity unit = new Quantity();
        unit.setUnit(code.isEmpty() ? text : code);
        if (!code.isEmpty() && (system.equalsIgnoreCase("UCUM") || (system.isEmpty() && Ucum.isValid(code)))) {
            unit.setSystem(Codings.UCUM).setCode(code);
        } else if (!code.isEmpty() && !system.isEmpty()) {
            Codings.system(system).ifPresent(s -> unit.setSystem(s).setCode(code));
        }
        return unit.hasUnit() ? Optional.of(unit) : Optional.empty();
    }

    /** OBX-7 as a reference range: "3.5-5.0", "3.5_5.0", "<5", ">=10", else text only. Empty for "". */
    Optional<Observation.ObservationReferenceRangeComponent> referenceRange(String text, Optional<Quantity> unit) {
        if (text.isBlank()) {
            return Optional.empty();
        }
        Observation.ObservationReferenceRangeComponent range = new Observation.ObservationReferenceRangeComponent();
        range.setText(text);
        Matcher r = RANGE.matcher(text);
        Matcher b = BOUND.matcher(text);
        if (r.matches()) {
            range.setLow(quantity(new BigDecimal(r.group(1)), unit));
            range.setHigh(quantity(new BigDecimal(r.group(2)), unit));
        } else if (b.matches()) {
            Quantity bound = quantity(new BigDecimal(b.group(2)), unit);
            if (b.group(1).startsWith("<")) {
                range.setHigh(bound);
            } else {
                range.setLow(bound);
            }
        }
        return Optional.of(range);
    }

    private boolean structuredNumeric(Observation obs, Type sn, Optional<Quantity> unit) {
        String comparator = Fields.get(sn, 1);
        String num1 = Fields.get(sn, 2);
        String separator = Fields.get(sn, 3);
        String num2 = Fields.get(sn, 4);
        if (!NUMBER.matcher(num1).matches()) {
            return false;
        }
        if (separator.isEmpty() && num2.isEmpty()) {
            Quantity q = quantity(new BigDecimal(num1), unit);
            switch (comparator) {
                case "" , "=" -> { }
                case "<" -> q.setComparator(Quantity.QuantityComparator.LESS_THAN);
                case "<=" -> q.setComparator(Quantity.QuantityComparator.LESS_OR_EQUAL);
                case ">" -> q.setComparator(Quantity.QuantityComparator.GREATER_THAN);
                case ">=" -> q.setComparator(Quantity.QuantityComparator.GREATER_OR_EQUAL);
                default -> {
                    return false;
                }
            }
            obs.setValue(q);
            return true;
        }
        if (!comparator.isEmpty() || !NUMBER.matcher(num2).matches()) {
            return false;
        }
        if (separator.equals("-")) {
            obs.setValue(new Range().setLow(quantity(new BigDecimal(num1), unit))
                    .setHigh(quantity(new BigDecimal(num2), unit)));
            return true;
        }
        if (separator.equals(":") || separator.equals("/")) {
            obs.setValue(new Ratio().setNumerator(new Quantity().setValue(new BigDecimal(num1)))
                    .setDenominator(new Quantity().setValue(new BigDecimal(num2))));
            return true;
        }
        return false;
    }

    private static Quantity quantity(BigDecimal value, Optional<Quantity> unit) {
        Quantity q = unit.map(Quantity::copy).orElseGet(Quantity::new);
        return q.setValue(value);
    }
}
