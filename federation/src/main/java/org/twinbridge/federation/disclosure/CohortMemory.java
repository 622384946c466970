package org.twinbridge.federation.disclosure;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What each requester has been told: the cohorts (as keyed, non-reversible subject tokens) of every table this
 * site released to it. A new release whose cohort differs from an earlier one by 1 to {@code min-cell - 1}
 * subjects is refused, because subtracting the two answers would describe those few subjects alone. Equal cohorts
 * are allowed (they isolate nobody). Kept in a file so that a restart does not forget; thread-safe.
 */
public final class CohortMemory {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Optional<Path> file;
    private final Map<String, List<Set<String>>> released = new HashMap<>();

    private CohortMemory(Optional<Path> file) {
        this.file = file;
    }

    /** A memory that lives as long as this object (tests). */
    public static CohortMemory inMemory() {
        return new CohortMemory(Optional.empty());
    }

    /** A memory kept in {@code file}, read now if it exists. */
    public static CohortMemory inFile(Path file) throws IOException {
        CohortMemory memory = new CohortMemory(Optional.of(file));
        if (Files.exists(file)) {
            Map<String, List<List<String>>> stored = JSON.readValue(file.toFile(), new TypeReference<>() {
            });
            stored.forEach((requester, cohorts) -> cohorts.forEach(
                    c -> memory.released.computeIfAbsent(requester, r -> new ArrayList<>()).add(Set.copyOf(c))));
        }
        return memory;
    }

    /**
     * The smallest non-zero difference, below {@code minCell}, between {@code cohort} and a cohort already released
     * to {@code requester}; empty if there is none and the release may go ahead.
     */
    public synchronized Optional<Integer> conflict(String requester, Set<String> cohort, int minCell) {
        int smallest = Integer.MAX_VALUE;
        for (Set<String> earlier : released.getOrDefault(requester, List.of())) {
            int difference = symmetricDifference(cohort, earlier);
            if (difference > 0 && difference < minCell) {
                smallest = Math.min(smallest, difference);
            }
        }
        return smallest == Integer.MAX_VALUE ? Optional.empty() : Optional.of(smallest);
    }

    /** Records a release, before it leaves: a crash afterwards errs on the side of refusing. */
    public synchronized void remember(String requester, Set<String> cohort) {
        List<Set<String>> cohorts = released.computeIfAbsent(requester, r -> new ArrayList<>());
        if (cohorts.stream().noneMatch(cohort::equals)) {
            cohorts.add(Set.copyOf(cohort));
            save();
        }
    }

    private static int symmetricDifference(Set<String> a, Set<String> b) {
        Set<String> onlyA = new HashSet<>(a);
        onlyA.removeAll(b);
        Set<String> onlyB = new HashSet<>(b);
        onlyB.removeAll(a);
        return onlyA.size() + onlyB.size();
    }

    private void save() {
        if (file.isEmpty()) {
            return;
        }
        Map<String, List<List<String>>> out = new HashMap<>();
        released.forEach((r, cohorts) -> out.put(r, cohorts.stream().map(c -> List.copyOf(new TreeSet<>(c))).toList()));
        try {
            Path target = file.get();
            Files.createDirectories(target.toAbsolutePath().getParent());
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), out);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("TB-FED-012 cannot save the cohort memory; the release is refused", e);
        }
    }
}
