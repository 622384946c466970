package org.twinbridge.plugin.glucose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CgmSummaryTest {

    private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");

    private static CgmSummary of(double... mgPerDl) {
        CgmSummary summary = CgmSummary.EMPTY;
        for (int i = 0; i < mgPerDl.length; i++) {
            summary = summary.plus(T0.plus(Duration.ofMinutes(5L * i)), CgmSummary.tenths(mgPerDl[i]));
        }
        return summary;
    }

    @Test
    void metrics_ofAFixedSeries_matchHandComputedValues() {
        // 50 60 70 100 180 181 250 251 300 53: sum 1495, sum of squares 304471.
        CgmMetrics m = of(50, 60, 70, 100, 180, 181, 250, 251, 300, 53).metrics().orElseThrow();

        assertThat(m.readings()).isEqualTo(10);
        assertThat(m.meanMgPerDl()).isCloseTo(149.5, within(1e-12));
        // sample variance (304471 - 1495^2 / 10) / 9 = 80968.5 / 9 = 8996.5
        assertThat(m.sdMgPerDl()).isCloseTo(Math.sqrt(8996.5), within(1e-9));
        assertThat(m.cvPercent()).isCloseTo(100 * Math.sqrt(8996.5) / 149.5, within(1e-9));
        assertThat(m.gmiPercent()).isCloseTo(3.31 + 0.02392 * 149.5, within(1e-12)).isCloseTo(6.886, within(1e-3));
        assertThat(m.tbr54Percent()).isEqualTo(20.0);  // 50, 53
        assertThat(m.tbr70Percent()).isEqualTo(30.0);  // 50, 60, 53
        assertThat(m.tirPercent()).isEqualTo(30.0);    // 70, 100, 180
        assertThat(m.tar180Percent()).isEqualTo(40.0); // 181, 250, 251, 300
        assertThat(m.tar250Percent()).isEqualTo(20.0); // 251, 300
        assertThat(m.from()).isEqualTo(T0);
        assertThat(m.to()).isEqualTo(T0.plus(Duration.ofMinutes(45)));
        assertThat(m.coverage()).isEqualTo(Duration.ofMinutes(50));
        assertThat(m.activePercent()).isEqualTo(100.0);
        assertThat(m.sufficient()).isFalse();
    }

    @Test
    void metrics_ofAFixedSeries_matchTheReferenceLoop() {
        List<Double> values = List.of(50.0, 60.0, 70.0, 100.0, 180.0, 181.0, 250.0, 251.0, 300.0, 53.0);
        CgmMetrics m = of(values.stream().mapToDouble(Double::doubleValue).toArray()).metrics().orElseThrow();
        ReferenceMetrics expected = ReferenceMetrics.of(values);

        assertThat(m.meanMgPerDl()).isCloseTo(expected.mean(), within(1e-9));
        assertThat(m.sdMgPerDl()).isCloseTo(expected.sd(), within(1e-9));
        assertThat(m.tirPercent()).isEqualTo(expected.tir());
    }

    @ParameterizedTest(name = "{0} mg/dL: below54={1} below70={2} inRange={3} above180={4} above250={5}")
    @CsvSource({
            "53.4,  true,  true,  false, false, false",
            "53.5,  false, true,  false, false, false",
            "54,    false, true,  false, false, false",
            "69.4,  false, true,  false, false, false",
            "69.5,  false, false, true,  false, false",
            "70,    false, false, true,  false, false",
            "180,   false, false, true,  false, false",
            "180.4, false, false, true,  false, false",
            "180.5, false, false, false, true,  false",
            "250,   false, false, false, true,  false",
            "250.5, false, false, false, true,  true",
    })
    void bands_atTheConsensusBoundaries(double mgPerDl, boolean below54, boolean below70, boolean inRange,
            boolean above180, boolean above250) {
        CgmMetrics m = of(mgPerDl).metrics().orElseThrow();

        assertThat(m.tbr54Percent()).isEqualTo(below54 ? 100.0 : 0.0);
        assertThat(m.tbr70Percent()).isEqualTo(below70 ? 100.0 : 0.0);
        assertThat(m.tirPercent()).isEqualTo(inRange ? 100.0 : 0.0);
        assertThat(m.tar180Percent()).isEqualTo(above180 ? 100.0 : 0.0);
        assertThat(m.tar250Percent()).isEqualTo(above250 ? 100.0 : 0.0);
    }

    @ParameterizedTest(name = "{0} mmol/L is {1}")
    @CsvSource({
            "2.9,  below54",
            "3.0,  below70",
            "3.8,  below70",
            "3.9,  inRange",
            "10.0, inRange",
            "10.1, above180",
            "13.9, above180",
            "14.0, above250",
    })
    void bands_forMmolPerLitreReadings_matchTheConsensusMmolThresholds(double mmolPerL, String band) {
        CgmMetrics m = of(mmolPerL * GlucoseUnits.MG_PER_DL_PER_MMOL_PER_L).metrics().orElseThrow();

        String actual = m.tbr54Percent() > 0 ? "below54" : m.tbr70Percent() > 0 ? "below70"
                : m.tar250Percent() > 0 ? "above250" : m.tar180Percent() > 0 ? "above180" : "inRange";
        assertThat(actual).isEqualTo(band);
    }

    @Test
    void minus_undoesPlus_exactly() {
        CgmSummary three = of(101.3, 55.5, 240.1);
        CgmSummary undone = three.minus(CgmSummary.tenths(240.1)).minus(CgmSummary.tenths(55.5));

        assertThat(undone.readings()).isEqualTo(1);
        assertThat(undone.sumTenths()).isEqualTo(1013);
        assertThat(undone.sumSquares()).isEqualTo(1013L * 1013);
        assertThat(undone.below70()).isZero();
        assertThat(undone.above180()).isZero();
        assertThat(undone.minus(1013)).isEqualTo(CgmSummary.EMPTY);
    }

    @Test
    void metrics_ofNothing_areEmpty_andOfOneReading_haveNoSpread() {
        assertThat(CgmSummary.EMPTY.metrics()).isEmpty();
        CgmMetrics one = of(120).metrics().orElseThrow();
        assertThat(one.sdMgPerDl()).isZero();
        assertThat(one.cvPercent()).isZero();
    }

    @Test
    void sufficiency_needsFourteenDays_andSeventyPercentActive() {
        CgmMetrics full = new CgmMetrics(4032, T0, T0.plus(Duration.ofDays(14)).minusSeconds(300), 120, 30, 25,
                6.2, 70, 3, 1, 27, 5, Duration.ofDays(14), 100);
        assertThat(full.sufficient()).isTrue();
        assertThat(new CgmMetrics(4032, T0, T0, 120, 30, 25, 6.2, 70, 3, 1, 27, 5, Duration.ofDays(13), 100)
                .sufficient()).isFalse();
        assertThat(new CgmMetrics(4032, T0, T0, 120, 30, 25, 6.2, 70, 3, 1, 27, 5, Duration.ofDays(14), 69.9)
                .sufficient()).isFalse();
    }
}
