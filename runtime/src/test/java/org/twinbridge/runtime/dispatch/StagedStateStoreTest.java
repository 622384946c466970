package org.twinbridge.runtime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Staged state: reads see committed values under the staged writes; a failed record's writes are dropped. */
class StagedStateStoreTest {

    private final Map<String, Map<String, String>> committed = new HashMap<>();
    private final StagedStateStore state = new StagedStateStore("ward-twin", new StagedStateStore.Committed() {
        @Override
        public Optional<String> get(String subject, String key) {
            return Optional.ofNullable(committed.getOrDefault(subject, Map.of()).get(key));
        }

        @Override
        public Map<String, String> snapshot(String subject) {
            return new TreeMap<>(committed.getOrDefault(subject, Map.of()));
        }

        @Override
        public List<String> pluginWideSubjects() {
            return committed.keySet().stream().filter(s -> s.startsWith("ward-twin.")).sorted().toList();
        }
    });

    @Test
    void reads_seeStagedWritesOverCommittedValues_andDeletes() {
        committed.put("p1", new HashMap<>(Map.of("a", "1", "b", "2")));
        state.beginRecord();
        state.put("p1", "a", "10");
        state.delete("p1", "b");
        state.put("p1", "c", "3");

        assertThat(state.get("p1", "a")).contains("10");
        assertThat(state.get("p1", "b")).isEmpty();
        assertThat(state.snapshot("p1")).containsExactly(Map.entry("a", "10"), Map.entry("c", "3"));
        assertThat(state.recordChanges()).extracting(StagedStateStore.Change::key).containsExactly("a", "b", "c");
    }

    @Test
    void discardRecord_dropsOnlyTheFailedRecordsWrites() {
        state.beginRecord();
        state.put("p1", "count", "1");
        List<StagedStateStore.Change> first = state.recordChanges();

        state.beginRecord();
        state.put("p1", "count", "2");
        state.put("p1", "other", "x");
        state.discardRecord();

        assertThat(first).containsExactly(new StagedStateStore.Change("p1", "count", Optional.of("1")));
        assertThat(state.get("p1", "count")).as("the earlier record's write stands").contains("1");
        assertThat(state.get("p1", "other")).isEmpty();
        assertThat(state.recordChanges()).isEmpty();
    }

    @Test
    void pluginWideSubjects_includeStagedOnes_andDropThoseStagedEmpty() {
        committed.put("ward-twin.census", new HashMap<>(Map.of("beds", "12")));
        state.beginRecord();
        state.put("ward-twin.forecast", "next", "3");
        state.delete("ward-twin.census", "beds");

        assertThat(state.pluginWideSubjects()).containsExactly("ward-twin.forecast");
    }

    @Test
    void limits_areCheckedWhenStaged_notOnlyAtCommit() {
        state.beginRecord();

        assertThatThrownBy(() -> state.put("p1", "k".repeat(201), "v")).isInstanceOf(RuntimeException.class);
        assertThat(state.recordChanges()).isEmpty();
    }
}
