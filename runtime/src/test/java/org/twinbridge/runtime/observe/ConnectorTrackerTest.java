package org.twinbridge.runtime.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.twinbridge.runtime.testing.MovableClock;

/** The connector health state machine and counters, on a clock the test moves. */
class ConnectorTrackerTest {

    private static final HealthPolicy POLICY = new HealthPolicy(3, Duration.ofMinutes(2), Duration.ofMinutes(5));
    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T08:00:00Z"));
    private final ConnectorTracker tracker = new ConnectorTracker("lab", "hl7v2", clock, POLICY);

    @Test
    void newConnector_isUp_withNoErrorAndZeroCounters() {
        ConnectorHealth health = tracker.health();

        assertThat(health.state()).isEqualTo(ConnectorState.UP);
        assertThat(health.lastErrorKind()).isNull();
        assertThat(health.lastErrorAt()).isNull();
        assertThat(health.received()).isZero();
        assertThat(health.journalled()).isZero();
        assertThat(health.failed()).isZero();
        assertThat(health.lag()).isNull();
        assertThat(health.lagSeconds()).isNaN();
    }

    @Test
    void intermittentFailures_makeItDegraded_notDown() {
        for (int i = 0; i < 5; i++) {
            tracker.failed("http-503");
            clock.advance(Duration.ofSeconds(10));
            tracker.succeeded();
        }

        assertThat(tracker.state()).isEqualTo(ConnectorState.DEGRADED);
        assertThat(tracker.health().lastErrorKind()).isEqualTo("http-503");
        assertThat(tracker.health().failed()).isEqualTo(5);
    }

    @Test
    void consecutiveFailures_reachingTheThreshold_makeItDown() {
        tracker.failed("connection-failed");
        tracker.failed("connection-failed");
        assertThat(tracker.state()).isEqualTo(ConnectorState.DEGRADED);

        tracker.failed("connection-failed");

        assertThat(tracker.state()).isEqualTo(ConnectorState.DOWN);
    }

    @Test
    void oneFailure_withNoSuccessForLongerThanDownAfter_makesItDown() {
        tracker.failed("connection-lost");
        clock.advance(Duration.ofMinutes(2).minusSeconds(1));
        assertThat(tracker.state()).isEqualTo(ConnectorState.DEGRADED);

        clock.advance(Duration.ofSeconds(1));

        assertThat(tracker.state()).isEqualTo(ConnectorState.DOWN);
    }

    @Test
    void down_thenSuccess_isDegradedForTheWindow_thenUp() {
        tracker.failed("http-500");
        tracker.failed("http-500");
        tracker.failed("http-500");
        assertThat(tracker.state()).isEqualTo(ConnectorState.DOWN);

        clock.advance(Duration.ofSeconds(30));
        tracker.journalled(4);
        assertThat(tracker.state()).as("recovered, but failed recently").isEqualTo(ConnectorState.DEGRADED);

        clock.advance(Duration.ofMinutes(5));

        assertThat(tracker.state()).isEqualTo(ConnectorState.UP);
        assertThat(tracker.health().lastErrorKind()).as("the last error stays visible").isEqualTo("http-500");
        assertThat(tracker.health().journalled()).isEqualTo(4);
    }

    @Test
    void rejections_makeItDegraded_butNeverDown() {
        for (int i = 0; i < 10; i++) {
            tracker.rejected("TB-HL7-011");
        }
        clock.advance(Duration.ofMinutes(3));

        assertThat(tracker.state()).isEqualTo(ConnectorState.DEGRADED);
        assertThat(tracker.health().failed()).isEqualTo(10);

        clock.advance(Duration.ofMinutes(2));
        assertThat(tracker.state()).isEqualTo(ConnectorState.UP);
    }

    @Test
    void paused_winsOverEveryOtherState_andResumingRestoresIt() {
        tracker.failed("x");
        tracker.failed("x");
        tracker.failed("x");

        tracker.paused(true);
        assertThat(tracker.state()).isEqualTo(ConnectorState.PAUSED);

        tracker.paused(false);
        assertThat(tracker.state()).isEqualTo(ConnectorState.DOWN);
    }

    @Test
    void aKindThatIsNotACode_isReplaced_soNoSentenceOrValueReachesHealth() {
        tracker.failed("could not parse patient Jane Doe");

        assertThat(tracker.health().lastErrorKind()).isEqualTo("invalid-kind");
    }

    @Test
    void journalCommit_countsNewRecords_andEndsAFailureStreak() {
        tracker.failed("journal-failed");
        tracker.failed("journal-failed");

        tracker.journalled(3);
        tracker.journalled(0);
        tracker.failed("journal-failed");

        assertThat(tracker.state()).as("the streak restarted at one").isEqualTo(ConnectorState.DEGRADED);
        assertThat(tracker.health().journalled()).isEqualTo(3);
        assertThat(tracker.health().lastJournalledAt()).isEqualTo(clock.instant());
    }

    @Test
    void received_countsMessages_andLagKeepsTheLastReport_negativeAsZero() {
        tracker.received(2);
        tracker.received(5);
        tracker.lag(Duration.ofMillis(1500));
        assertThat(tracker.lagSeconds()).isEqualTo(1.5);

        tracker.lag(Duration.ofSeconds(-3));

        assertThat(tracker.health().received()).isEqualTo(7);
        assertThat(tracker.health().lag()).isEqualTo(Duration.ZERO);
    }
}
