package org.twinbridge.policy.model;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the enforcement point must do to a permitted record before a recipient sees it. Obligations are applied
 * to a copy, in a fixed order whatever order the policy lists them in: allow-list projection, redaction,
 * generalisation, date shift, pseudonyms. A permit always carries exactly one {@link AllowElements} for the
 * record's type; nothing that it does not list survives.
 */
public sealed interface Obligation
        permits Obligation.AllowElements, Obligation.CodedOnly, Obligation.Redact, Obligation.Generalise,
        Obligation.CapAges, Obligation.DatesToYear, Obligation.ShiftDates, Obligation.Pseudonymise,
        Obligation.CarryLabels {

    /** A short, PHI-free description for the audit log and {@code policy explain}. */
    String describe();

    /**
     * Allow-list projection: only these element paths of the resource survive, with their whole subtree.
     * Paths are FHIR element paths relative to the resource, as in the specification: {@code code},
     * {@code value[x]}, {@code component.code}, {@code effective[x]}. Narrative and contained resources never
     * survive. Below a listed path, free text (string, markdown and url values), element ids,
     * {@code Reference.type} and extensions survive only where a path names them exactly; {@code meta} follows
     * the same rule, and its security labels are rebuilt from their codes.
     */
    record AllowElements(String resourceType, Set<String> paths) implements Obligation {
        public AllowElements {
            Objects.requireNonNull(resourceType, "resourceType");
            paths = Set.copyOf(new TreeSet<>(paths));
        }

        @Override
        public String describe() {
            return "allow " + resourceType + new TreeSet<>(paths);
        }
    }

    /**
     * Coded content only: at and below each path (or everywhere, when {@code everywhere}), no free text survives,
     * even where the allow-list names it. Codes, systems, numbers, dates and references stay; {@code text},
     * {@code display}, string values ({@code valueString}) and every other string, markdown or url value go;
     * {@code Quantity.unit} becomes the UCUM code, or goes when the quantity is not coded in UCUM.
     */
    record CodedOnly(Set<String> paths, boolean everywhere) implements Obligation {
        public CodedOnly {
            paths = Set.copyOf(new TreeSet<>(paths));
            if (!everywhere && paths.isEmpty()) {
                throw new IllegalArgumentException("coded-only needs paths, or everywhere");
            }
        }

        @Override
        public String describe() {
            return "coded content only " + (everywhere ? "everywhere" : new TreeSet<>(paths));
        }
    }

    /**
     * Type-driven ages (HIPAA Safe Harbor: "all ages over 89"): wherever it occurs in the view, an age-like
     * value above {@code maxAge} years is capped at {@code maxAge + 1}. Age-like means: an {@code Age}, or any
     * quantity in a time unit of years, months, weeks or days (UCUM {@code a}, {@code mo}, {@code wk},
     * {@code d}, or those words); the value of an Observation or component coded as an age (LOINC); a
     * {@code birthDate}, or a date valued Observation coded as a birth date, implying such an age.
     */
    record CapAges(int maxAge) implements Obligation {
        public CapAges {
            if (maxAge < 1 || maxAge > 150) {
                throw new IllegalArgumentException("the age cap must be between 1 and 150 years");
            }
        }

        @Override
        public String describe() {
            return "cap every age at " + (maxAge + 1);
        }
    }

    /**
     * Type-driven dates (HIPAA Safe Harbor: "all elements of dates, except year"): every date and dateTime
     * anywhere in the view, Period and Timing included, keeps only its year; every instant is removed, since an
     * instant cannot hold a year alone.
     */
    record DatesToYear() implements Obligation {
        @Override
        public String describe() {
            return "every date to its year";
        }
    }

    /**
     * The sensitivity labels the decision point found, which the view carries in {@code meta.security} as codes
     * only, so that a recipient can honour them.
     */
    record CarryLabels(Set<String> labels) implements Obligation {
        public CarryLabels {
            labels = Set.copyOf(new TreeSet<>(labels));
        }

        @Override
        public String describe() {
            return "labels " + new TreeSet<>(labels);
        }
    }

    /** Replaces the string value at each path with {@link #MARKER}. Paths as in {@link AllowElements}. */
    record Redact(Set<String> paths) implements Obligation {
        public static final String MARKER = "[REDACTED]";

        public Redact {
            paths = Set.copyOf(new TreeSet<>(paths));
        }

        @Override
        public String describe() {
            return "redact " + new TreeSet<>(paths);
        }
    }

    /**
     * Generalises quasi-identifiers.
     *
     * @param methods for each element path, how to generalise it
     */
    record Generalise(Map<String, Method> methods) implements Obligation {
        public Generalise {
            methods = Map.copyOf(new TreeMap<>(methods));
        }

        @Override
        public String describe() {
            return "generalise " + new TreeMap<>(methods);
        }

        /** A way to coarsen a value. */
        public sealed interface Method permits ToYear, Prefix, AgeCap {
        }

        /** A date or dateTime becomes its year. */
        public record ToYear() implements Method {
            @Override
            public String toString() {
                return "year";
            }
        }

        /** A string keeps its first {@code keep} characters, for example a postal-code prefix. */
        public record Prefix(int keep) implements Method {
            public Prefix {
                if (keep < 0) {
                    throw new IllegalArgumentException("prefix length must not be negative");
                }
            }

            @Override
            public String toString() {
                return "prefix(" + keep + ")";
            }
        }

        /**
         * Ages above {@code maxAge} are not disclosed (HIPAA Safe Harbor: over 89 becomes "90 or older"): a
         * birth date implying a greater age is replaced by the year that makes the patient exactly
         * {@code maxAge + 1}; an age quantity greater than {@code maxAge} becomes {@code maxAge + 1}.
         */
        public record AgeCap(int maxAge) implements Method {
            @Override
            public String toString() {
                return "age-cap(" + maxAge + ")";
            }
        }
    }

    /**
     * Shifts every date, dateTime, instant and period in the record by one offset that is stable per patient
     * and recipient, within ±{@code maxDays}, so intervals between a patient's records are kept.
     */
    record ShiftDates(int maxDays) implements Obligation {
        public ShiftDates {
            if (maxDays < 1 || maxDays > 3650) {
                throw new IllegalArgumentException("date shift must be between 1 and 3650 days");
            }
        }

        @Override
        public String describe() {
            return "shift dates ±" + maxDays + "d";
        }
    }

    /**
     * Replaces identifier values and literal references with pseudonyms in the recipient's key domain, and
     * drops identifier and reference display text.
     */
    record Pseudonymise() implements Obligation {
        @Override
        public String describe() {
            return "pseudonymise identifiers and references";
        }
    }
}
