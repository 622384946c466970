package org.twinbridge.embedded.fhir;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Resource;

/**
 * FHIR R4 resources held in memory, with version history, for a fixed set of resource types.
 *
 * <p>Every {@link #save} stamps {@code meta.lastUpdated} with a time strictly later than every earlier save
 * in this store (the wall clock, bumped by a millisecond when it has not moved on), and a save and its stamp
 * become visible to searches together. A client that polls with {@code _lastUpdated=gt<newest it saw>}
 * therefore never misses a write.
 *
 * <p>The store keeps its own copies: arguments are copied in, results are copied out, so callers may
 * modify what they pass or receive. Thread-safe. Nothing is {@code null} unless stated. {@link #toString()}
 * prints counts only, never resource content.
 */
public final class InMemoryFhirStore {

    /** The resource types of {@link #InMemoryFhirStore()}: the clinical ones Synthea writes, plus Consent and Device. */
    public static final List<Class<? extends Resource>> DEFAULT_TYPES = List.of(
            Patient.class, Observation.class, Condition.class, MedicationRequest.class, Encounter.class,
            Procedure.class, Consent.class, Device.class, DiagnosticReport.class, AllergyIntolerance.class,
            Immunization.class, CarePlan.class, Goal.class, Practitioner.class, Organization.class);

    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final Comparator<Resource> BY_LAST_UPDATED = Comparator
            .comparing((Resource r) -> r.getMeta().getLastUpdated())
            .thenComparing(r -> r.getIdElement().getIdPart());

    private final Map<Class<? extends Resource>, Map<String, List<Resource>>> versionsByType;
    private final Map<Class<? extends Resource>, String> typeNames;
    private final Clock clock;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private long lastStamp = Long.MIN_VALUE;

    /** A store for {@link #DEFAULT_TYPES}, stamped by the system clock. */
    public InMemoryFhirStore() {
        this(DEFAULT_TYPES, Clock.systemUTC());
    }

    /**
     * A store for the given resource types.
     *
     * @param types concrete R4 resource classes, at least one, such as {@code Patient.class}
     * @param clock the source of {@code meta.lastUpdated}; it may stand still or go back, stamps still rise
     */
    public InMemoryFhirStore(Collection<Class<? extends Resource>> types, Clock clock) {
        Objects.requireNonNull(types, "types");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (types.isEmpty()) {
            throw new IllegalArgumentException("TB-EMBED-FHIR-001 a store needs at least one resource type,"
                    + " for example InMemoryFhirStore.DEFAULT_TYPES");
        }
        versionsByType = new LinkedHashMap<>();
        typeNames = new HashMap<>();
        for (Class<? extends Resource> type : types) {
            versionsByType.put(Objects.requireNonNull(type, "type"), new HashMap<>());
            typeNames.put(type, fhirTypeOf(type));
        }
    }

    /** The resource types this store accepts, in the order given at construction. */
    public List<Class<? extends Resource>> resourceTypes() {
        return List.copyOf(versionsByType.keySet());
    }

    /** Whether {@link #save} accepts resources of this class. */
    public boolean supports(Class<? extends Resource> type) {
        return versionsByType.containsKey(type);
    }

    /**
     * Creates or updates a resource: assigns a random UUID if it has no id, sets {@code meta.versionId} to
     * one more than the stored version (1 when new) and {@code meta.lastUpdated} to a fresh, strictly
     * increasing instant. A version in the argument's id or meta is ignored.
     *
     * @return a copy of what was stored, with id {@code Type/id/_history/version}
     * @throws IllegalArgumentException if the type is not {@link #supports supported} or the id is not a FHIR id
     */
    public <T extends Resource> T save(T resource) {
        Objects.requireNonNull(resource, "resource");
        Map<String, List<Resource>> versions = versionsOf(resource.getClass());
        String id = resource.getIdElement().hasIdPart() ? resource.getIdElement().getIdPart()
                : UUID.randomUUID().toString();
        if (!FHIR_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("TB-EMBED-FHIR-002 " + resource.fhirType() + " id '" + id
                    + "' is not a FHIR id: use 1 to 64 of A-Z, a-z, 0-9, '-' and '.'");
        }
        T stored = copyOf(resource);
        lock.writeLock().lock();
        try {
            List<Resource> history = versions.computeIfAbsent(id, k -> new ArrayList<>());
            String version = Integer.toString(history.size() + 1);
            lastStamp = Math.max(clock.millis(), lastStamp + 1);
            InstantType lastUpdated = new InstantType(new Date(lastStamp));
            lastUpdated.setTimeZoneZulu(true);
            stored.setId(new IdType(resource.fhirType(), id, version));
            stored.getMeta().setVersionId(version).setLastUpdatedElement(lastUpdated);
            history.add(stored);
        } finally {
            lock.writeLock().unlock();
        }
        return copyOf(stored);
    }

    /**
     * Removes a resource and all its versions, as HAPI's {@code $expunge} does: it is then neither read nor
     * found. For long-running feeds that must not hold everything they ever wrote.
     *
     * @return how many versions were removed (0 if there was no such resource)
     */
    public int expunge(Class<? extends Resource> type, String id) {
        Map<String, List<Resource>> versions = versionsOf(type);
        lock.writeLock().lock();
        try {
            List<Resource> removed = versions.remove(id);
            return removed == null ? 0 : removed.size();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The current version of a resource, or empty if there is none with this id. */
    public <T extends Resource> Optional<T> read(Class<T> type, String id) {
        return readVersion(type, id, null);
    }

    /** One version of a resource ({@code versionId} as in {@code meta.versionId}), or empty if there is none. */
    public <T extends Resource> Optional<T> read(Class<T> type, String id, String versionId) {
        return readVersion(type, id, Objects.requireNonNull(versionId, "versionId"));
    }

    /**
     * The current versions of all resources of a type that pass a filter, sorted by {@code meta.lastUpdated}
     * ascending, then id. The filter sees the stored resources and must not modify them.
     */
    public <T extends Resource> List<T> search(Class<T> type, Predicate<? super T> filter) {
        Objects.requireNonNull(filter, "filter");
        Map<String, List<Resource>> versions = versionsOf(type);
        List<Resource> current;
        lock.readLock().lock();
        try {
            current = versions.values().stream().map(h -> h.get(h.size() - 1)).collect(Collectors.toList());
        } finally {
            lock.readLock().unlock();
        }
        // Stored versions are never modified after save, so filtering and copying need no lock.
        return current.stream().map(type::cast).filter(filter).sorted(BY_LAST_UPDATED)
                .map(InMemoryFhirStore::copyOf).collect(Collectors.toList());
    }

    /** The number of resources (not versions) of each type that has any, keyed by FHIR type name, sorted. */
    public Map<String, Integer> countsByType() {
        Map<String, Integer> counts = new TreeMap<>();
        lock.readLock().lock();
        try {
            versionsByType.forEach((type, versions) -> {
                if (!versions.isEmpty()) {
                    counts.put(typeNames.get(type), versions.size());
                }
            });
        } finally {
            lock.readLock().unlock();
        }
        return counts;
    }

    @Override
    public String toString() {
        return "InMemoryFhirStore" + countsByType();
    }

    private <T extends Resource> Optional<T> readVersion(Class<T> type, String id, String versionId) {
        Objects.requireNonNull(id, "id");
        Map<String, List<Resource>> versions = versionsOf(type);
        Resource found;
        lock.readLock().lock();
        try {
            List<Resource> history = versions.getOrDefault(id, List.of());
            if (versionId == null) {
                found = history.isEmpty() ? null : history.get(history.size() - 1);
            } else {
                found = history.stream().filter(r -> versionId.equals(r.getMeta().getVersionId()))
                        .findFirst().orElse(null);
            }
        } finally {
            lock.readLock().unlock();
        }
        return Optional.ofNullable(found).map(type::cast).map(InMemoryFhirStore::copyOf);
    }

    private Map<String, List<Resource>> versionsOf(Class<? extends Resource> type) {
        Map<String, List<Resource>> versions = versionsByType.get(type);
        if (versions == null) {
            throw new IllegalArgumentException("TB-EMBED-FHIR-003 resource type " + type.getSimpleName()
                    + " is not held by this store; supported: " + typeNames.values().stream().sorted()
                    .collect(Collectors.joining(", ")));
        }
        return versions;
    }

    // Class names differ from FHIR type names (ListResource is "List"), so ask an instance.
    private static String fhirTypeOf(Class<? extends Resource> type) {
        try {
            return type.getDeclaredConstructor().newInstance().fhirType();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("TB-EMBED-FHIR-001 " + type.getName()
                    + " is not a concrete FHIR R4 resource class such as org.hl7.fhir.r4.model.Patient", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Resource> T copyOf(T resource) {
        return (T) resource.copy();
    }
}
