package org.twinbridge.runtime.journal;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.policy.model.SensitivityLabels;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * A record ready for a journal's transaction, JDBC or Kafka alike: its id and the bytes to store (encoded and
 * labelled). Preparing is done on the appending thread, outside the shared transaction.
 */
record PreparedRecord(CanonicalRecord record, String recordId, byte[] stored) {

    static List<PreparedRecord> prepare(FhirContext fhir, SensitivityLabels codeList, List<CanonicalRecord> records) {
        IParser parser = fhir.newJsonParser();
        List<PreparedRecord> prepared = new ArrayList<>(records.size());
        for (CanonicalRecord record : records) {
            byte[] json = parser.encodeResourceToString(record.resource()).getBytes(StandardCharsets.UTF_8);
            // Labelled after the id is fixed: editing a code list must not turn old records into new ones.
            prepared.add(new PreparedRecord(record, recordId(record, json),
                    labelled(fhir, codeList, parser, record.resource(), json)));
        }
        return prepared;
    }

    /** The record's id: its connector, its source id and its content, hashed; the same input is the same record. */
    static String recordId(CanonicalRecord record, byte[] json) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] contentHash = MessageDigest.getInstance("SHA-256").digest(json);
            digest.update(record.connectorId().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(record.sourceId().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(contentHash);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /**
     * The record as stored: with the sensitivity labels its codes call for in {@code meta.security}. Most records
     * need none they do not already carry, and are stored as encoded; only the others are copied, labelled and
     * encoded again.
     */
    private static byte[] labelled(FhirContext fhir, SensitivityLabels codeList, IParser parser, Resource resource,
            byte[] encoded) {
        if (SensitivityLabels.existing(resource).containsAll(codeList.labelsFor(fhir, resource))) {
            return encoded;
        }
        Resource labelled = resource.copy();
        if (!labelled.getIdElement().hasIdPart()) {
            labelled.setIdElement(resource.getIdElement());
        }
        codeList.apply(fhir, labelled);
        return parser.encodeResourceToString(labelled).getBytes(StandardCharsets.UTF_8);
    }
}
