package org.twinbridge.embedded.fhir;

import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;

/**
 * Serves one resource type of an {@link InMemoryFhirStore} through a HAPI FHIR plain server: read and
 * vread, create, update (which may create), and search.
 *
 * <p>Search parameters, all optional and combined with AND: {@code _id}; {@code _lastUpdated} with prefixes
 * {@code eq ne gt ge lt le sa eb}; {@code patient} (a reference to a Patient in the resource's
 * {@code subject} or {@code patient} element) and {@code subject} (any reference in {@code subject}).
 * Results are sorted by {@code meta.lastUpdated} ascending, then id; the server pages them.
 *
 * <p>Thread-safe, as the store is.
 */
public final class InMemoryResourceProvider<T extends Resource> implements IResourceProvider {

    private final Class<T> type;
    private final InMemoryFhirStore store;

    /** A provider for one type that the store {@link InMemoryFhirStore#supports supports}. */
    public InMemoryResourceProvider(Class<T> type, InMemoryFhirStore store) {
        this.type = Objects.requireNonNull(type, "type");
        this.store = Objects.requireNonNull(store, "store");
        if (!store.supports(type)) {
            throw new IllegalArgumentException("TB-EMBED-FHIR-003 resource type " + type.getSimpleName()
                    + " is not held by the store; supported: " + store.resourceTypes().stream()
                    .map(Class::getSimpleName).collect(Collectors.joining(", ")));
        }
    }

    @Override
    public Class<T> getResourceType() {
        return type;
    }

    /** {@code GET [type]/[id]} and {@code GET [type]/[id]/_history/[version]}. */
    @Read(version = true)
    public T read(@IdParam IdType id) {
        Optional<T> found = id.hasVersionIdPart()
                ? store.read(type, id.getIdPart(), id.getVersionIdPart())
                : store.read(type, id.getIdPart());
        return found.orElseThrow(() -> new ResourceNotFoundException(id));
    }

    /** {@code POST [type]}: the server assigns a new id and ignores any id in the body, as FHIR requires. */
    @Create
    public MethodOutcome create(@ResourceParam T resource) {
        resource.setIdElement(null);
        T saved = store.save(resource);
        return new MethodOutcome(saved.getIdElement(), true).setResource(saved);
    }

    /** {@code PUT [type]/[id]}: a new version, or version 1 when the id is new. */
    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam T resource) {
        resource.setId(id.getIdPart());
        T saved;
        try {
            saved = store.save(resource);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
        boolean created = "1".equals(saved.getMeta().getVersionId());
        return new MethodOutcome(saved.getIdElement(), created).setResource(saved);
    }

    /** {@code GET [type]?...}; see the class comment for the parameters. */
    @Search
    public List<T> search(
            @OptionalParam(name = "_id") TokenParam id,
            @OptionalParam(name = "_lastUpdated") DateRangeParam lastUpdated,
            @OptionalParam(name = "patient") ReferenceParam patient,
            @OptionalParam(name = "subject") ReferenceParam subject) {
        return store.search(type, SearchFilters.id(id)
                .and(SearchFilters.lastUpdated(lastUpdated))
                .and(SearchFilters.references(patient, "Patient", "subject", "patient"))
                .and(SearchFilters.references(subject, null, "subject")));
    }
}
