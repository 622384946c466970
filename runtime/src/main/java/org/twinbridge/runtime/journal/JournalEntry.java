package org.twinbridge.runtime.journal;

import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Resource;

/**
 * One journalled record, decrypted. {@link #toString()} prints metadata only.
 *
 * @param seq         position in the journal; delivery cursors count in these
 * @param recordId    hash of the source id and content; the idempotency key
 * @param patientKey  the internal patient key; empty if the record could not be linked to a patient
 */
public record JournalEntry(long seq, String recordId, String connectorId, Optional<String> patientKey,
        String category, Resource resource) {

    public JournalEntry {
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(resource, "resource");
    }

    @Override
    public String toString() {
        return "JournalEntry[seq=" + seq + ", connector=" + connectorId + ", type=" + resource.fhirType() + "]";
    }
}
