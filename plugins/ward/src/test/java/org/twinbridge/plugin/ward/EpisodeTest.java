package org.twinbridge.plugin.ward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How versions of one stay merge, whatever order they arrive in. */
class EpisodeTest {

    private static final Instant ADMIT = Instant.parse("2025-03-03T10:00:00Z");
    private static final Instant MOVE = Instant.parse("2025-03-04T09:00:00Z");
    private static final Instant LEAVE = Instant.parse("2025-03-05T14:00:00Z");

    private static VisitUpdate admit() {
        return new VisitUpdate(Optional.of(ADMIT), "in-progress", List.of(status(ADMIT, "in-progress")),
                List.of(new VisitUpdate.Arrival(ADMIT, "Location/A")), List.of(), Optional.empty());
    }

    private static VisitUpdate transfer(Instant at, String to) {
        return new VisitUpdate(Optional.of(ADMIT), "in-progress", List.of(status(at, "in-progress")),
                List.of(new VisitUpdate.Arrival(at, to)), List.of(), Optional.empty());
    }

    private static VisitUpdate discharge(Instant at) {
        return new VisitUpdate(Optional.of(ADMIT), "finished", List.of(status(at, "finished")), List.of(), List.of(),
                Optional.of(at));
    }

    private static VisitUpdate.StatusAt status(Instant at, String status) {
        return new VisitUpdate.StatusAt(at, status);
    }

    @Test
    void admitTransferDischarge_giveTwoWardStays() {
        Episode e = Episode.of(admit()).merge(transfer(MOVE, "Location/B")).merge(discharge(LEAVE));

        assertThat(e.stays()).containsExactly(new WardStay("Location/A", ADMIT, Optional.of(MOVE)),
                new WardStay("Location/B", MOVE, Optional.of(LEAVE)));
    }

    @Test
    void theSameMessagesInAnotherOrder_giveTheSameStays() {
        Episode inOrder = Episode.of(admit()).merge(transfer(MOVE, "Location/B")).merge(discharge(LEAVE));
        Episode scrambled = Episode.of(discharge(LEAVE)).merge(admit()).merge(transfer(MOVE, "Location/B"));

        assertThat(scrambled.stays()).isEqualTo(inOrder.stays());
    }

    @Test
    void cancelledAdmission_leavesNoStay() {
        Episode e = Episode.of(admit()).merge(new VisitUpdate(Optional.of(ADMIT), "cancelled",
                List.of(status(ADMIT.plusSeconds(1800), "cancelled")), List.of(), List.of(), Optional.empty()));

        assertThat(e.stays()).isEmpty();
    }

    @Test
    void cancelledDischarge_reopensTheStayOnTheSameWard_withoutANewArrival() {
        Instant cancel = LEAVE.plusSeconds(3600);
        Episode e = Episode.of(admit()).merge(discharge(LEAVE)).merge(new VisitUpdate(Optional.of(ADMIT),
                "in-progress", List.of(status(cancel, "in-progress")),
                List.of(new VisitUpdate.Arrival(cancel, "Location/A")), List.of(), Optional.empty()));

        assertThat(e.stays()).containsExactly(new WardStay("Location/A", ADMIT, Optional.empty()));
    }

    @Test
    void updateWithoutTimes_placesThePatientFromAdmission() {
        Episode e = Episode.of(new VisitUpdate(Optional.of(ADMIT), "in-progress", List.of(), List.of(),
                List.of("Location/C"), Optional.empty()));

        assertThat(e.stays()).containsExactly(new WardStay("Location/C", ADMIT, Optional.empty()));
    }

    @Test
    void state_roundTrips() {
        Map<String, Episode> episodes = new LinkedHashMap<>();
        episodes.put(ADMIT.toString(), Episode.of(admit()).merge(transfer(MOVE, "Location/B")));

        assertThat(StateText.decodeEpisodes(StateText.encodeEpisodes(episodes))).isEqualTo(episodes);
    }

    @Test
    void damagedState_failsWithItsCode() {
        assertThatThrownBy(() -> StateText.decodeEpisodes("ward-episodes 1\nE k not-a-time in-progress -\n"))
                .hasMessageStartingWith("TB-WARD-001").hasMessageContaining("line 1");
        assertThatThrownBy(() -> StateText.decodeIndex("something else\n")).hasMessageStartingWith("TB-WARD-001");
    }

    @Test
    void survival_withoutCensoring_isTheEmpiricalShare() {
        StaySurvival s = StaySurvival.estimate(List.of(10.0, 20.0, 30.0, 40.0), List.of());

        assertThat(s.survival(5)).isEqualTo(1.0);
        assertThat(s.survival(25)).isEqualTo(0.5);
        assertThat(s.stillThere(25, 10)).isEqualTo(0.5);
    }

    @Test
    void survival_countsRunningStaysAsCensored_notAsEnded() {
        StaySurvival ignored = StaySurvival.estimate(List.of(10.0, 20.0), List.of());
        StaySurvival censored = StaySurvival.estimate(List.of(10.0, 20.0), List.of(15.0, 15.0));

        assertThat(censored.survival(12)).isGreaterThan(ignored.survival(12));
    }
}
