package org.twinbridge.policy.decision;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.twinbridge.policy.model.Obligation;

/**
 * Combines the obligations of several permitting rules for one record. Each rule grants its allow-list, so
 * allow-lists are united; every protective transform any rule asks for is kept (coded-only paths and redactions
 * united, every generalisation kept, the lowest age cap, years if any rule asks, the widest date-shift window,
 * pseudonyms if any rule asks, every label carried).
 */
final class ObligationMerge {

    private ObligationMerge() {
    }

    static List<Obligation> merge(List<List<Obligation>> perRule) {
        Map<String, Set<String>> allowed = new LinkedHashMap<>();
        Set<String> redacted = new TreeSet<>();
        Set<String> coded = new TreeSet<>();
        Set<String> labels = new TreeSet<>();
        boolean codedEverywhere = false;
        boolean years = false;
        int capAges = 0;
        Set<Obligation.Generalise> generalised = new java.util.LinkedHashSet<>();
        int shift = 0;
        boolean pseudonymise = false;
        for (List<Obligation> obligations : perRule) {
            for (Obligation o : obligations) {
                if (o instanceof Obligation.AllowElements a) {
                    allowed.computeIfAbsent(a.resourceType(), t -> new TreeSet<>()).addAll(a.paths());
                } else if (o instanceof Obligation.CodedOnly c) {
                    coded.addAll(c.paths());
                    codedEverywhere |= c.everywhere();
                } else if (o instanceof Obligation.CapAges c) {
                    capAges = capAges == 0 ? c.maxAge() : Math.min(capAges, c.maxAge());
                } else if (o instanceof Obligation.DatesToYear) {
                    years = true;
                } else if (o instanceof Obligation.CarryLabels l) {
                    labels.addAll(l.labels());
                } else if (o instanceof Obligation.Redact r) {
                    redacted.addAll(r.paths());
                } else if (o instanceof Obligation.Generalise g) {
                    generalised.add(g);
                } else if (o instanceof Obligation.ShiftDates s) {
                    shift = Math.max(shift, s.maxDays());
                } else if (o instanceof Obligation.Pseudonymise) {
                    pseudonymise = true;
                }
            }
        }
        List<Obligation> merged = new ArrayList<>();
        allowed.forEach((type, paths) -> merged.add(new Obligation.AllowElements(type, paths)));
        if (codedEverywhere || !coded.isEmpty()) {
            merged.add(new Obligation.CodedOnly(coded, codedEverywhere));
        }
        if (!redacted.isEmpty()) {
            merged.add(new Obligation.Redact(redacted));
        }
        if (capAges > 0) {
            merged.add(new Obligation.CapAges(capAges));
        }
        merged.addAll(generalised);
        if (years) {
            merged.add(new Obligation.DatesToYear());
        }
        if (shift > 0) {
            merged.add(new Obligation.ShiftDates(shift));
        }
        if (pseudonymise) {
            merged.add(new Obligation.Pseudonymise());
        }
        if (!labels.isEmpty()) {
            merged.add(new Obligation.CarryLabels(labels));
        }
        return merged;
    }
}
