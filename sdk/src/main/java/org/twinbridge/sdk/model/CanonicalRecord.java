package org.twinbridge.sdk.model;

import java.util.List;
import java.util.Objects;
import org.hl7.fhir.r4.model.Resource;

/**
 * One record as a connector hands it to the journal: a source message normalised to FHIR R4.
 *
 * <p>The journal derives the record id from {@code sourceId} and a hash of the resource's content, so handing
 * the same record over twice (after a redelivery, a re-poll or a retry) stores it once.
 *
 * <p>{@link #toString()} prints metadata only: source ids and resources may hold PHI.
 *
 * @param connectorId the id of the connector in the node's configuration
 * @param sourceId    identifies the record in its source, for example {@code Observation/123} or an HL7
 *                    message control id plus segment index; treated as sensitive and never logged
 * @param resource    the FHIR R4 resource
 * @param unmapped    names (not values) of source fields that the connector could not map, so that nothing is
 *                    dropped silently, for example {@code OBX-17}
 */
public record CanonicalRecord(String connectorId, String sourceId, Resource resource, List<String> unmapped) {

    public CanonicalRecord {
        AuthorisedRecord.requireText(connectorId, "connectorId");
        AuthorisedRecord.requireText(sourceId, "sourceId");
        Objects.requireNonNull(resource, "resource");
        unmapped = List.copyOf(unmapped);
    }

    /** A record whose every source field was mapped. */
    public static CanonicalRecord of(String connectorId, String sourceId, Resource resource) {
        return new CanonicalRecord(connectorId, sourceId, resource, List.of());
    }

    @Override
    public String toString() {
        return "CanonicalRecord[connector=" + connectorId + ", type=" + resource.fhirType()
                + ", unmapped=" + unmapped.size() + "]";
    }
}
