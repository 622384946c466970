package org.twinbridge.policy.enforcement;

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
        permits Obligation.AllowElements, Obligation.Redact, Obligation.Generalise, Obligation.ShiftDates,
        Obligation.Pseudonymise {

    /** A short, PHI-free description for the audit log and {@code policy explain}. */
    String describe();

    /**
     * Allow-list projection: only these element paths of the resource survive, with their whole subtree.
     * Paths are FHIR element paths relative to the resource, as in the specification: {@code code},
     * {@code value[x]}, {@code component.code}, {@code effective[x]}. Narrative, contained resources,
     * extensions (unless listed) and {@code meta} (except security labels) never survive.
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
