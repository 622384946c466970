package org.twinbridge.plugin.tumour;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns lesion measurements into RECIST assessments: one sum of target-lesion diameters per day of imaging.
 *
 * <p>The target lesions are those measured on the first day (the baseline). A later day is an assessment
 * only when every target lesion was measured that day; its sum is over the target lesions, each at its latest
 * measurement of the day. Days missing a target lesion are left out rather than read as shrinkage, so that
 * lesions reported one observation at a time cannot produce a false response while a scan is half-entered.
 * Observations without a body site all share one key: each is taken to be the sum itself. Days are UTC dates.
 */
final class TargetLesions {

    private TargetLesions() {
    }

    /**
     * One assessment.
     *
     * @param at    the time of the day's first measurement
     * @param sumMm the sum of target-lesion diameters
     */
    record Assessment(Instant at, double sumMm) {
    }

    static List<Assessment> assessments(List<TumourState.Measured> measurements) {
        Map<LocalDate, List<TumourState.Measured>> byDay = new TreeMap<>();
        for (TumourState.Measured m : measurements) {
            byDay.computeIfAbsent(LocalDate.ofInstant(m.at(), ZoneOffset.UTC), d -> new ArrayList<>()).add(m);
        }
        List<Assessment> assessments = new ArrayList<>();
        Set<String> targets = null;
        for (List<TumourState.Measured> day : byDay.values()) {
            Map<String, Double> latest = new LinkedHashMap<>();
            day.forEach(m -> latest.put(m.site(), m.sizeMm())); // in time order, so the latest wins
            if (targets == null) {
                targets = new LinkedHashSet<>(latest.keySet());
            }
            if (latest.keySet().containsAll(targets)) {
                double sum = targets.stream().mapToDouble(latest::get).sum();
                assessments.add(new Assessment(day.get(0).at(), sum));
            }
        }
        return assessments;
    }

    /** A short fingerprint of an assessment series, to notice when it changes. */
    static String fingerprint(List<Assessment> assessments) {
        StringBuilder text = new StringBuilder();
        assessments.forEach(a -> text.append(a.at()).append('=').append(a.sumMm()).append(';'));
        return Integer.toHexString(text.toString().hashCode()) + "-" + assessments.size();
    }
}
