package org.twinbridge.plugin.tumour;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A subject's tumour twin: the measurements and administrations it has read, and a fingerprint of the
 * assessments it last projected from. Immutable.
 *
 * @param measurements    lesion measurements, in time order
 * @param administrations drug doses, in time order
 * @param projectedFrom   the fingerprint of the assessment series behind the last emitted projection, or empty
 */
record TumourState(List<Measured> measurements, List<Given> administrations, String projectedFrom) {

    /** At most this many of each are kept (the oldest go first): years of scans and cycles. */
    static final int MAX_ENTRIES = 500;

    static final TumourState EMPTY = new TumourState(List.of(), List.of(), "");

    TumourState {
        measurements = List.copyOf(measurements);
        administrations = List.copyOf(administrations);
        Objects.requireNonNull(projectedFrom, "projectedFrom");
    }

    /**
     * A lesion measurement.
     *
     * @param at     when
     * @param site   the lesion's key
     * @param sizeMm its longest diameter
     */
    record Measured(Instant at, String site, double sizeMm) {

        Measured {
            Objects.requireNonNull(at, "at");
            if (site == null || site.isBlank() || site.contains("\n") || !(sizeMm > 0)) {
                throw new IllegalArgumentException("a measurement has a one-line site and a positive size");
            }
        }
    }

    /**
     * A drug dose.
     *
     * @param at   when
     * @param drug the catalogue name
     * @param dose in the drug's unit
     */
    record Given(Instant at, String drug, double dose) {

        Given {
            Objects.requireNonNull(at, "at");
            if (drug == null || !drug.matches("\\S+") || !(dose > 0)) {
                throw new IllegalArgumentException("a dose has a one-word drug name and a positive amount");
            }
        }
    }

    TumourState with(Measured measured) {
        return new TumourState(added(measurements, measured, Comparator.comparing(Measured::at)), administrations,
                projectedFrom);
    }

    TumourState with(Given given) {
        return new TumourState(measurements, added(administrations, given, Comparator.comparing(Given::at)),
                projectedFrom);
    }

    TumourState projectedFrom(String fingerprint) {
        return new TumourState(measurements, administrations, fingerprint);
    }

    private static <T> List<T> added(List<T> list, T item, Comparator<T> order) {
        List<T> out = new ArrayList<>(list);
        int at = out.size();
        while (at > 0 && order.compare(out.get(at - 1), item) > 0) {
            at--;
        }
        out.add(at, item);
        while (out.size() > MAX_ENTRIES) {
            out.remove(0);
        }
        return out;
    }
}
