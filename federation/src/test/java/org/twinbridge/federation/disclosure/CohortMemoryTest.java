package org.twinbridge.federation.disclosure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CohortMemoryTest {

    private static Set<String> cohort(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "t" + i).collect(Collectors.toSet());
    }

    @Test
    void aCohortDifferingByOneFromAReleasedOne_conflicts() {
        CohortMemory memory = CohortMemory.inMemory();
        memory.remember("coordinator", cohort(0, 20));
        assertThat(memory.conflict("coordinator", cohort(0, 19), 5)).contains(1);
        assertThat(memory.conflict("coordinator", cohort(0, 21), 5)).contains(1);
    }

    @Test
    void anEqualCohort_orOneDifferingByAtLeastMinCell_isAllowed() {
        CohortMemory memory = CohortMemory.inMemory();
        memory.remember("coordinator", cohort(0, 20));
        assertThat(memory.conflict("coordinator", cohort(0, 20), 5)).isEmpty();
        assertThat(memory.conflict("coordinator", cohort(0, 15), 5)).isEmpty();
        assertThat(memory.conflict("coordinator", cohort(0, 25), 5)).isEmpty();
    }

    @Test
    void swappingSubjects_countsBothWays() {
        CohortMemory memory = CohortMemory.inMemory();
        memory.remember("coordinator", cohort(0, 20));
        Set<String> swapped = new HashSet<>(cohort(0, 18));
        swapped.addAll(cohort(100, 102));
        assertThat(memory.conflict("coordinator", swapped, 5)).contains(4);
    }

    @Test
    void memory_isPerRequester() {
        CohortMemory memory = CohortMemory.inMemory();
        memory.remember("coordinator", cohort(0, 20));
        assertThat(memory.conflict("other-coordinator", cohort(0, 19), 5)).isEmpty();
    }

    @Test
    void memory_survivesARestart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cohorts.json");
        CohortMemory.inFile(file).remember("coordinator", cohort(0, 20));
        assertThat(CohortMemory.inFile(file).conflict("coordinator", cohort(0, 19), 5)).contains(1);
    }
}
