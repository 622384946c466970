package org.twinbridge.plugin.tumour;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetLesionsTest {

    private static final Instant DAY1 = Instant.parse("2025-01-06T09:00:00Z");
    private static final Instant DAY2 = Instant.parse("2025-03-03T10:00:00Z");

    private static TumourState.Measured m(Instant at, String site, double mm) {
        return new TumourState.Measured(at, site, mm);
    }

    @Test
    void assessments_sumTheBaselineLesions_eachAtItsLatestMeasurementOfTheDay() {
        List<TargetLesions.Assessment> assessments = TargetLesions.assessments(List.of(
                m(DAY1, "liver", 30), m(DAY1.plusSeconds(60), "lung", 12),
                m(DAY2, "liver", 25), m(DAY2.plusSeconds(60), "lung", 10), m(DAY2.plusSeconds(120), "liver", 24),
                m(DAY2.plusSeconds(180), "bone", 40)));

        assertThat(assessments).containsExactly(new TargetLesions.Assessment(DAY1, 42),
                new TargetLesions.Assessment(DAY2, 34));
    }

    @Test
    void aDayMissingATargetLesion_isNotAnAssessment() {
        List<TargetLesions.Assessment> assessments = TargetLesions.assessments(List.of(
                m(DAY1, "liver", 30), m(DAY1, "lung", 12), m(DAY2, "liver", 25)));

        assertThat(assessments).containsExactly(new TargetLesions.Assessment(DAY1, 42));
    }

    @Test
    void observationsWithoutABodySite_areEachTheSum() {
        List<TargetLesions.Assessment> assessments = TargetLesions.assessments(List.of(
                m(DAY1, "-", 55), m(DAY2, "-", 60), m(DAY2.plusSeconds(10), "-", 61)));

        assertThat(assessments).extracting(TargetLesions.Assessment::sumMm).containsExactly(55.0, 61.0);
    }

    @Test
    void fingerprint_changesWithTheSeries() {
        List<TargetLesions.Assessment> one = List.of(new TargetLesions.Assessment(DAY1, 42));
        List<TargetLesions.Assessment> two = List.of(new TargetLesions.Assessment(DAY1, 42),
                new TargetLesions.Assessment(DAY2, 34));
        assertThat(TargetLesions.fingerprint(one)).isEqualTo(TargetLesions.fingerprint(List.copyOf(one)))
                .isNotEqualTo(TargetLesions.fingerprint(two));
    }
}
