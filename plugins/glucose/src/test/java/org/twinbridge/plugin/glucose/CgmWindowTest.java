package org.twinbridge.plugin.glucose;

import org.twinbridge.sdk.testing.InMemoryTwinContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CgmWindowTest {

    private static final String SUBJECT = "pseudo-w1";

    private final InMemoryTwinContext.InMemoryStateStore store = new InMemoryTwinContext.InMemoryStateStore();

    @Test
    void dexcomSeries_overAOneDayWindow_incrementalMetricsMatchTheReferenceLoop_afterEveryReading() {
        List<CgmSeries.Reading> series = CgmSeries.dexcom();
        assertThat(series).hasSize(2148);
        CgmWindow window = new CgmWindow(store, SUBJECT, Duration.ofDays(1));

        for (int i = 0; i < series.size(); i++) {
            CgmSeries.Reading reading = series.get(i);
            CgmMetrics m = window.add(reading.at(), reading.mgPerDl()).orElseThrow().metrics().orElseThrow();

            Instant cutoff = reading.at().minus(Duration.ofDays(1));
            List<Double> inWindow = new ArrayList<>();
            Instant first = null;
            for (CgmSeries.Reading r : series.subList(0, i + 1)) {
                if (r.at().isAfter(cutoff)) {
                    inWindow.add((double) r.mgPerDl());
                    first = first == null ? r.at() : first;
                }
            }
            assertMatches(m, ReferenceMetrics.of(inWindow));
            assertThat(m.from()).isEqualTo(first);
            assertThat(m.to()).isEqualTo(reading.at());
        }
        // Only the days still in the window are stored.
        assertThat(store.keys(SUBJECT)).hasSizeLessThanOrEqualTo(3)
                .allMatch(key -> key.equals(CgmWindow.SUMMARY_KEY) || key.startsWith(CgmWindow.DAY_KEY_PREFIX));
    }

    @Test
    void dexcomSeries_overTheFourteenDayWindow_matchesTheReferenceLoopOverAllReadings() {
        List<CgmSeries.Reading> series = CgmSeries.dexcom();
        CgmWindow window = new CgmWindow(store, SUBJECT, CgmWindow.DEFAULT_LENGTH);
        series.forEach(r -> window.add(r.at(), r.mgPerDl()));

        CgmMetrics m = window.summary().metrics().orElseThrow();
        ReferenceMetrics expected = ReferenceMetrics.of(series.stream().map(r -> (double) r.mgPerDl()).toList());
        assertMatches(m, expected);
        // The series' whole-record values, computed independently of both (see the plugin README).
        assertThat(m.readings()).isEqualTo(2148);
        assertThat(m.meanMgPerDl()).isCloseTo(111.897, within(0.001));
        assertThat(m.tirPercent()).isCloseTo(93.99, within(0.01));
        assertThat(m.gmiPercent()).isCloseTo(5.987, within(0.001));
        assertThat(m.sufficient()).as("7.9 days of data is less than the consensus 14").isFalse();
        assertThat(store.keys(SUBJECT)).allSatisfy(key -> assertThat(
                store.get(SUBJECT, key).orElseThrow().getBytes(StandardCharsets.UTF_8).length).isLessThan(8_000));
    }

    @Test
    void nightscoutSeries_metricsMatchTheReferenceLoop() {
        List<CgmSeries.Reading> series = CgmSeries.nightscout();
        assertThat(series).extracting(CgmSeries.Reading::mgPerDl).containsExactly(100, 102, 105, 105, 102, 101);
        CgmWindow window = new CgmWindow(store, SUBJECT, CgmWindow.DEFAULT_LENGTH);
        series.forEach(r -> window.add(r.at(), r.mgPerDl()));

        CgmMetrics m = window.summary().metrics().orElseThrow();
        assertMatches(m, ReferenceMetrics.of(series.stream().map(r -> (double) r.mgPerDl()).toList()));
        assertThat(m.meanMgPerDl()).isCloseTo(615.0 / 6, within(1e-9));
        assertThat(m.tirPercent()).isEqualTo(100.0);
    }

    @Test
    void add_aReadingNotAfterTheNewest_isRefused() {
        CgmWindow window = new CgmWindow(store, SUBJECT, CgmWindow.DEFAULT_LENGTH);
        Instant t = Instant.parse("2025-03-01T10:00:00Z");
        window.add(t, 100);

        assertThat(window.add(t, 120)).isEmpty();
        assertThat(window.add(t.minusSeconds(60), 120)).isEmpty();
        assertThat(window.summary().readings()).isEqualTo(1);
    }

    @Test
    void add_acrossMidnight_keepsOneValuePerDay_andEraseRemovesThemAll() {
        CgmWindow window = new CgmWindow(store, SUBJECT, CgmWindow.DEFAULT_LENGTH);
        Instant t = Instant.parse("2025-03-01T23:50:00Z");
        for (int i = 0; i < 5; i++) {
            window.add(t.plus(Duration.ofMinutes(5L * i)), 100 + i);
        }
        assertThat(window.summary().days()).hasSize(2);
        assertThat(store.keys(SUBJECT)).hasSize(3);

        window.erase();
        assertThat(store.keys(SUBJECT)).isEmpty();
    }

    @Test
    void add_afterALongGap_letsEveryOlderReadingGo() {
        CgmWindow window = new CgmWindow(store, SUBJECT, Duration.ofDays(1));
        Instant t = Instant.parse("2025-03-01T10:00:00Z");
        window.add(t, 60);
        window.add(t.plus(Duration.ofHours(30)), 200);
        window.add(t.plus(Duration.ofHours(40)), 150);

        CgmSummary summary = window.summary();
        assertThat(summary.readings()).isEqualTo(2);
        assertThat(summary.below70()).isZero();
        assertThat(summary.oldest()).contains(t.plus(Duration.ofHours(30)));
        assertThat(summary.days()).hasSize(2);
        assertThat(store.keys(SUBJECT)).as("the summary and the two days left").hasSize(3);
    }

    @Test
    void add_afterAnUnreadableSummary_startsAgain() {
        CgmWindow window = new CgmWindow(store, SUBJECT, CgmWindow.DEFAULT_LENGTH);
        store.put(SUBJECT, CgmWindow.SUMMARY_KEY, "something else");

        CgmSummary summary = window.add(Instant.parse("2025-03-01T10:00:00Z"), 100).orElseThrow();
        assertThat(summary.readings()).isEqualTo(1);
    }

    private static void assertMatches(CgmMetrics m, ReferenceMetrics expected) {
        assertThat(m.readings()).isEqualTo(expected.n());
        assertThat(m.meanMgPerDl()).isCloseTo(expected.mean(), within(1e-9));
        assertThat(m.sdMgPerDl()).isCloseTo(expected.sd(), within(1e-9));
        assertThat(m.cvPercent()).isCloseTo(expected.cv(), within(1e-9));
        assertThat(m.gmiPercent()).isCloseTo(expected.gmi(), within(1e-9));
        assertThat(m.tirPercent()).isCloseTo(expected.tir(), within(1e-9));
        assertThat(m.tbr70Percent()).isCloseTo(expected.below70(), within(1e-9));
        assertThat(m.tbr54Percent()).isCloseTo(expected.below54(), within(1e-9));
        assertThat(m.tar180Percent()).isCloseTo(expected.above180(), within(1e-9));
        assertThat(m.tar250Percent()).isCloseTo(expected.above250(), within(1e-9));
    }
}
