package org.twinbridge.policy.enforcement;

import org.twinbridge.policy.model.Obligation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.twinbridge.policy.model.Obligation.AllowElements;
import org.twinbridge.policy.model.Obligation.Generalise;

/**
 * The obligations for one record, sorted into the fixed order in which they are applied.
 *
 * @param allow the record type's allow-list
 * @param codedOnly every coded-only path, from all {@link Obligation.CodedOnly}s
 * @param codedOnlyEverywhere whether some {@link Obligation.CodedOnly} covers the whole record
 * @param redactions every redacted path, from all {@link Obligation.Redact}s
 * @param capAges the lowest {@link Obligation.CapAges} maximum, or 0 for none
 * @param generalisations every path and method, from all {@link Generalise}s, in application order
 * @param datesToYear whether every date becomes its year
 * @param shiftMaxDays the date-shift bound, or 0 for no shift
 * @param pseudonymise whether identifiers and references get pseudonyms
 * @param labels the sensitivity labels the view carries, from all {@link Obligation.CarryLabels}
 */
record ObligationPlan(AllowElements allow, Set<String> codedOnly, boolean codedOnlyEverywhere,
                      Set<String> redactions, int capAges, List<Step> generalisations, boolean datesToYear,
                      int shiftMaxDays, boolean pseudonymise, Set<String> labels) {

    ObligationPlan {
        Objects.requireNonNull(allow, "allow");
        codedOnly = Set.copyOf(codedOnly);
        redactions = Set.copyOf(redactions);
        generalisations = List.copyOf(generalisations);
        labels = Set.copyOf(labels);
    }

    /** One generalisation: a path and how to coarsen it. */
    record Step(String path, Generalise.Method method) {
    }

    /** Age caps read full dates, so they run before dates lose precision to {@code ToYear}. */
    private static final Comparator<Step> STEP_ORDER = Comparator
            .comparingInt((Step step) -> methodRank(step.method()))
            .thenComparing(Step::path);

    static ObligationPlan of(String resourceType, List<Obligation> obligations) {
        List<AllowElements> allows = new ArrayList<>();
        Set<String> otherTypes = new TreeSet<>();
        Set<String> redactions = new TreeSet<>();
        Set<String> codedOnly = new TreeSet<>();
        Set<String> labels = new TreeSet<>();
        boolean everywhere = false;
        boolean datesToYear = false;
        int capAges = 0;
        Set<Step> steps = new TreeSet<>(STEP_ORDER.thenComparing(step -> step.method().toString()));
        Set<Integer> shifts = new TreeSet<>();
        boolean pseudonymise = false;
        for (Obligation obligation : obligations) {
            Objects.requireNonNull(obligation, "obligations must not contain null");
            if (obligation instanceof AllowElements allow) {
                if (allow.resourceType().equals(resourceType)) {
                    allows.add(allow);
                } else {
                    otherTypes.add(allow.resourceType());
                }
            } else if (obligation instanceof Obligation.CodedOnly coded) {
                codedOnly.addAll(coded.paths());
                everywhere |= coded.everywhere();
            } else if (obligation instanceof Obligation.CapAges cap) {
                capAges = capAges == 0 ? cap.maxAge() : Math.min(capAges, cap.maxAge());
            } else if (obligation instanceof Obligation.DatesToYear) {
                datesToYear = true;
            } else if (obligation instanceof Obligation.CarryLabels carry) {
                labels.addAll(carry.labels());
            } else if (obligation instanceof Obligation.Redact redact) {
                redactions.addAll(redact.paths());
            } else if (obligation instanceof Generalise generalise) {
                for (Map.Entry<String, Generalise.Method> entry : generalise.methods().entrySet()) {
                    steps.add(new Step(entry.getKey(), entry.getValue()));
                }
            } else if (obligation instanceof Obligation.ShiftDates shift) {
                shifts.add(shift.maxDays());
            } else if (obligation instanceof Obligation.Pseudonymise) {
                pseudonymise = true;
            }
        }
        if (allows.size() != 1) {
            throw new IllegalArgumentException("TB-ENFORCE-001 expected exactly one AllowElements obligation for "
                    + "resource type " + resourceType + ", found " + allows.size()
                    + (otherTypes.isEmpty() ? "" : " (allow-lists present for " + otherTypes + ")")
                    + "; a permit must list the elements of " + resourceType + " the recipient may see");
        }
        if (shifts.size() > 1) {
            throw new IllegalArgumentException("TB-ENFORCE-003 conflicting ShiftDates obligations " + shifts
                    + " days; a record is shifted once, so give one bound");
        }
        for (String path : redactions) {
            ElementPaths.segments(path);
        }
        codedOnly.forEach(ElementPaths::segments);
        steps.forEach(step -> ElementPaths.segments(step.path()));
        return new ObligationPlan(allows.get(0), codedOnly, everywhere, redactions, capAges, new ArrayList<>(steps),
                datesToYear, shifts.isEmpty() ? 0 : shifts.iterator().next(), pseudonymise, labels);
    }

    /** The position of an obligation kind in the fixed application order. */
    static int rank(Obligation obligation) {
        if (obligation instanceof AllowElements) {
            return 0;
        } else if (obligation instanceof Obligation.CodedOnly) {
            return 1;
        } else if (obligation instanceof Obligation.Redact) {
            return 2;
        } else if (obligation instanceof Obligation.CapAges) {
            return 3;
        } else if (obligation instanceof Generalise) {
            return 4;
        } else if (obligation instanceof Obligation.DatesToYear) {
            return 5;
        } else if (obligation instanceof Obligation.ShiftDates) {
            return 6;
        } else if (obligation instanceof Obligation.Pseudonymise) {
            return 7;
        }
        return 8;
    }

    private static int methodRank(Generalise.Method method) {
        if (method instanceof Generalise.AgeCap) {
            return 0;
        }
        return method instanceof Generalise.ToYear ? 1 : 2;
    }
}
