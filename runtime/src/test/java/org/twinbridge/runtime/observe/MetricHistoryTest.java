package org.twinbridge.runtime.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.twinbridge.runtime.testing.MovableClock;

class MetricHistoryTest {

    private static final Instant START = Instant.parse("2026-12-08T10:00:00Z");
    private final MovableClock clock = new MovableClock(START);
    private final Map<String, MetricHistory.Reading> connectors = new LinkedHashMap<>();
    private final Map<String, MetricHistory.Reading> plugins = new LinkedHashMap<>();
    private final MetricHistory.Source source = MetricHistory.Source.of(() -> Map.copyOf(connectors),
            () -> Map.copyOf(plugins));

    @Test
    void firstSample_hasNoRate_laterSamples_havePerMinuteGrowth() {
        MetricHistory history = new MetricHistory(source, clock, 60);
        connectors.put("adt", new MetricHistory.Reading(10, 0.5));
        plugins.put("news2", new MetricHistory.Reading(4, 2.0));
        history.sample();
        clock.advance(Duration.ofMinutes(1));
        connectors.put("adt", new MetricHistory.Reading(70, 1.5));
        plugins.put("news2", new MetricHistory.Reading(34, 0.0));
        history.sample();
        clock.advance(Duration.ofSeconds(30));
        connectors.put("adt", new MetricHistory.Reading(100, null));
        history.sample();

        var samples = history.samples();
        assertThat(samples).extracting(MetricHistory.Sample::at)
                .containsExactly(START, START.plusSeconds(60), START.plusSeconds(90));
        assertThat(samples.get(0).connectors().get("adt")).isEqualTo(new MetricHistory.Point(10, null, 0.5));
        assertThat(samples.get(1).connectors().get("adt")).isEqualTo(new MetricHistory.Point(70, 60.0, 1.5));
        assertThat(samples.get(1).plugins().get("news2")).isEqualTo(new MetricHistory.Point(34, 30.0, 0.0));
        assertThat(samples.get(2).connectors().get("adt")).as("30 more in half a minute, and no lag reported")
                .isEqualTo(new MetricHistory.Point(100, 60.0, null));
        assertThat(samples.get(2).plugins().get("news2")).isEqualTo(new MetricHistory.Point(34, 0.0, 0.0));
    }

    @Test
    void fullHistory_dropsTheOldestSample_soMemoryStaysBounded() {
        MetricHistory history = new MetricHistory(source, clock, 3);
        for (int i = 0; i < 5; i++) {
            connectors.put("adt", new MetricHistory.Reading(i, null));
            history.sample();
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(history.samples()).hasSize(3).extracting(s -> s.connectors().get("adt").count())
                .containsExactly(2L, 3L, 4L);
        assertThat(history.samples().get(0).at()).isEqualTo(START.plus(Duration.ofMinutes(2)));
    }

    @Test
    void aPluginFirstSeenLater_hasNoRateInItsFirstSample() {
        MetricHistory history = new MetricHistory(source, clock, 60);
        history.sample();
        clock.advance(Duration.ofMinutes(1));
        plugins.put("late", new MetricHistory.Reading(7, 3.0));
        MetricHistory.Sample sample = history.sample();
        assertThat(sample.plugins().get("late")).isEqualTo(new MetricHistory.Point(7, null, 3.0));
    }

    @Test
    void perMinute_ofACounterThatWentDown_isZero_andWithoutTimeBetween_isUnknown() {
        assertThat(MetricHistory.perMinute(10, 4, Duration.ofMinutes(1))).isEqualTo(0.0);
        assertThat(MetricHistory.perMinute(10, 20, Duration.ofMinutes(2))).isEqualTo(5.0);
        assertThat(MetricHistory.perMinute(10, 10, Duration.ofNanos(500_000))).as("under a millisecond apart")
                .isEqualTo(0.0);
        assertThat(MetricHistory.perMinute(10, 20, Duration.ZERO)).isNull();
        assertThat(MetricHistory.perMinute(10, 20, Duration.ofSeconds(-1))).isNull();
    }

    @Test
    void samples_areACopy_thatLaterSamplesDoNotChange() {
        MetricHistory history = new MetricHistory(source, clock, 2);
        history.sample();
        var before = history.samples();
        history.sample();
        history.sample();
        assertThat(before).hasSize(1);
    }

    @Test
    void capacity_mustBePositive() {
        assertThatThrownBy(() -> new MetricHistory(source, clock, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
