package org.twinbridge.policy.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.policy.model.Obligation;

/**
 * What a view must not hold, checked independently of the enforcer's own code: canaries outside the paths a
 * rule names, dates finer than a year, ages over the cap. Each failure names the set, case and element.
 */
final class ViewChecks {

    /** Time units to how many of them make a year, for reading ages back out of a view. */
    private static final Map<String, BigDecimal> PER_YEAR = Map.of("a", BigDecimal.ONE, "years", BigDecimal.ONE,
            "mo", BigDecimal.valueOf(12), "wk", new BigDecimal("52.1786"), "d", new BigDecimal("365.25"));

    private ViewChecks() {
    }

    /**
     * No canary reaches the view unless the permit's allow-list names its exact path for the view's type and no
     * coded-only obligation covers it.
     */
    static void noCanaryOutsideNamedPaths(String json, Map<String, String> canaries, Resource view,
            List<Obligation> obligations, String what) {
        Set<String> named = obligations.stream().filter(o -> o instanceof Obligation.AllowElements a
                        && a.resourceType().equals(view.fhirType()))
                .flatMap(o -> ((Obligation.AllowElements) o).paths().stream()).collect(java.util.stream.Collectors.toSet());
        boolean codedEverywhere = obligations.stream().anyMatch(o -> o instanceof Obligation.CodedOnly c
                && c.everywhere());
        List<String> coded = obligations.stream().filter(o -> o instanceof Obligation.CodedOnly)
                .flatMap(o -> ((Obligation.CodedOnly) o).paths().stream()).toList();
        canaries.forEach((canary, path) -> {
            if (json.contains(canary)) {
                boolean covered = codedEverywhere || coded.stream().anyMatch(c -> path.equals(c)
                        || path.startsWith(c + "."));
                assertThat(named.contains(path) && !covered)
                        .as("%s: canary planted at %s reached the view, which no rule names: %s", what, path, json)
                        .isTrue();
            }
        });
    }

    /** Every date and dateTime is a year at most; there are no instants. */
    static void onlyYears(Base view, String what) {
        visit(view, null, "", (parent, name, value) -> {
            if (value instanceof InstantType instant) {
                assertThat(instant.hasValue()).as("%s: instant at %s", what, name).isFalse();
            } else if (value instanceof BaseDateTimeType date && date.hasValue()) {
                assertThat(date.getValueAsString()).as("%s: date at %s", what, name).hasSizeLessThanOrEqualTo(4);
            }
        });
    }

    /** No age-like value says the patient is older than {@code maxAge + 1} ("90 or older" is 90). */
    static void noAgeOver(Base view, int maxAge, LocalDate today, String what) {
        BigDecimal limit = BigDecimal.valueOf(maxAge + 1L);
        visit(view, null, "", (parent, name, value) -> {
            boolean ageCoded = coded(parent, name, RecordSaturator.AGE_CODE);
            boolean birthCoded = coded(parent, name, RecordSaturator.BIRTH_DATE_CODE);
            if (value instanceof Quantity quantity && quantity.hasValue()) {
                String unit = quantity.hasCode() ? quantity.getCode() : quantity.getUnit();
                BigDecimal perYear = unit == null ? (ageCoded || value instanceof org.hl7.fhir.r4.model.Age
                        ? BigDecimal.ONE : null) : PER_YEAR.get(unit);
                if (perYear != null) {
                    assertThat(quantity.getValue().divide(perYear, MathContext.DECIMAL64))
                            .as("%s: age at %s", what, name).isLessThanOrEqualTo(limit);
                }
            } else if (value instanceof IntegerType integer && integer.hasValue() && ageCoded) {
                assertThat(integer.getValue()).as("%s: age at %s", what, name).isLessThanOrEqualTo(maxAge + 1);
            } else if (value instanceof BaseDateTimeType date && date.hasValue()
                    && (name.equals("birthDate") || birthCoded)) {
                assertThat(Integer.parseInt(date.getValueAsString().substring(0, 4)))
                        .as("%s: birth date at %s", what, name).isGreaterThanOrEqualTo(today.getYear() - maxAge - 1);
            }
        });
    }

    private static boolean coded(Base parent, String name, String loinc) {
        if (parent == null || !name.equals("value[x]") || parent.getNamedProperty("code") == null) {
            return false;
        }
        return parent.getNamedProperty("code").getValues().stream()
                .filter(CodeableConcept.class::isInstance).map(CodeableConcept.class::cast)
                .flatMap(c -> c.getCoding().stream()).anyMatch(c -> loinc.equals(c.getCode()));
    }

    @FunctionalInterface
    private interface Visitor {
        void visit(Base parent, String name, Base value);
    }

    private static void visit(Base base, Base parent, String name, Visitor visitor) {
        visitor.visit(parent, name, base);
        for (Property property : base.children()) {
            for (Base value : property.getValues()) {
                if (value != null) {
                    visit(value, base, property.getName(), visitor);
                }
            }
        }
    }
}
