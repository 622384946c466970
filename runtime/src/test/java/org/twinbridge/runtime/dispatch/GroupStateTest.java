package org.twinbridge.runtime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A group's staged writes reach the store once per key, with the last value, in the order of the last writes. */
class GroupStateTest {

    @Test
    void write_keepsTheLastValueOfEachKey() {
        List<StagedStateStore.Change> changes = List.of(
                new StagedStateStore.Change("p1", "seen", Optional.of("1")),
                new StagedStateStore.Change("p2", "seen", Optional.of("1")),
                new StagedStateStore.Change("p1", "seen", Optional.of("2")),
                new StagedStateStore.Change("p2", "seen", Optional.empty()),
                new StagedStateStore.Change("p1", "last", Optional.of("x")));

        assertThat(GroupState.net(changes)).containsExactly(
                new StagedStateStore.Change("p1", "seen", Optional.of("2")),
                new StagedStateStore.Change("p2", "seen", Optional.empty()),
                new StagedStateStore.Change("p1", "last", Optional.of("x")));
    }
}
