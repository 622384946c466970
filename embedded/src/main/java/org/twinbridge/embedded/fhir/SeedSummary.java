package org.twinbridge.embedded.fhir;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a {@link SyntheaSeeder} run put into the store. Holds counts only, no resource content.
 *
 * @param bundles              Bundles read
 * @param patients             Patient resources stored
 * @param loadedByType         resources stored, by FHIR type name
 * @param skippedByType        entries not stored because the store has no such type, by FHIR type name
 * @param unresolvedReferences {@code urn:uuid:} references that matched no entry of their Bundle and were
 *                             left as they were
 */
public record SeedSummary(int bundles, int patients, Map<String, Integer> loadedByType,
        Map<String, Integer> skippedByType, int unresolvedReferences) {

    /** Validates the counts and copies the maps into sorted, unmodifiable ones. */
    public SeedSummary {
        if (bundles < 0 || patients < 0 || unresolvedReferences < 0) {
            throw new IllegalArgumentException("TB-EMBED-FHIR-020 counts must not be negative: bundles="
                    + bundles + ", patients=" + patients + ", unresolvedReferences=" + unresolvedReferences);
        }
        loadedByType = sortedCopy(loadedByType, "loadedByType");
        skippedByType = sortedCopy(skippedByType, "skippedByType");
    }

    /** Nothing loaded. */
    public static SeedSummary empty() {
        return new SeedSummary(0, 0, Map.of(), Map.of(), 0);
    }

    /** All resources stored. */
    public int loaded() {
        return loadedByType.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** All entries skipped. */
    public int skipped() {
        return skippedByType.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The sum of this run and another. */
    public SeedSummary plus(SeedSummary other) {
        Map<String, Integer> loaded = new TreeMap<>(loadedByType);
        other.loadedByType.forEach((type, n) -> loaded.merge(type, n, Integer::sum));
        Map<String, Integer> skipped = new TreeMap<>(skippedByType);
        other.skippedByType.forEach((type, n) -> skipped.merge(type, n, Integer::sum));
        return new SeedSummary(bundles + other.bundles, patients + other.patients, loaded, skipped,
                unresolvedReferences + other.unresolvedReferences);
    }

    private static Map<String, Integer> sortedCopy(Map<String, Integer> counts, String name) {
        Objects.requireNonNull(counts, name);
        counts.forEach((type, n) -> {
            if (type == null || n == null || n < 0) {
                throw new IllegalArgumentException("TB-EMBED-FHIR-020 " + name
                        + " needs a type name and a non-negative count, got " + type + "=" + n);
            }
        });
        return Collections.unmodifiableSortedMap(new TreeMap<>(counts));
    }
}
