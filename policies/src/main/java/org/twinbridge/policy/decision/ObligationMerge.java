package org.twinbridge.policy.decision;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.twinbridge.policy.enforcement.Obligation;

/**
 * Combines the obligations of several permitting rules for one record. Each rule grants its allow-list, so
 * allow-lists are united; every protective transform any rule asks for is kept (redactions united, every
 * generalisation kept, the widest date-shift window, pseudonyms if any rule asks).
 */
final class ObligationMerge {

    private ObligationMerge() {
    }

    static List<Obligation> merge(List<List<Obligation>> perRule) {
        Map<String, Set<String>> allowed = new LinkedHashMap<>();
        Set<String> redacted = new TreeSet<>();
        Set<Obligation.Generalise> generalised = new java.util.LinkedHashSet<>();
        int shift = 0;
        boolean pseudonymise = false;
        for (List<Obligation> obligations : perRule) {
            for (Obligation o : obligations) {
                if (o instanceof Obligation.AllowElements a) {
                    allowed.computeIfAbsent(a.resourceType(), t -> new TreeSet<>()).addAll(a.paths());
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
        if (!redacted.isEmpty()) {
            merged.add(new Obligation.Redact(redacted));
        }
        merged.addAll(generalised);
        if (shift > 0) {
            merged.add(new Obligation.ShiftDates(shift));
        }
        if (pseudonymise) {
            merged.add(new Obligation.Pseudonymise());
        }
        return merged;
    }
}
