package org.twinbridge.runtime.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.runtime.journal.JdbcJournal;
import org.twinbridge.runtime.journal.JournalEntry;
import org.twinbridge.runtime.journal.PatientIndex;

/**
 * Maps a plugin's subject pseudonym back to the patient, for sinks that may receive identified outputs. Only the
 * runtime can: the output's privacy receipt leads to the decision that delivered the record, the record to its
 * internal patient key, and the key to the patient's newest journalled Patient resource (its id at the source and
 * its identifiers). Without a journalled Patient, the delivered record's own patient reference is used. A patient
 * whose records were erased cannot be re-identified, and then nothing is sent.
 */
final class Reidentifier {

    private final JdbcJournal journal;
    private final PatientIndex patients;

    Reidentifier(JdbcJournal journal, PatientIndex patients) {
        this.journal = journal;
        this.patients = patients;
    }

    /** The patient behind an output's receipt, as a FHIR reference (with identifiers); empty if unknown or erased. */
    Optional<Reference> patientOf(Connection c, String receiptId) throws SQLException {
        Optional<JournalEntry> delivered = entryAt(c, journalSeqOf(c, receiptId));
        if (delivered.isEmpty() || delivered.get().patientKey().isEmpty()) {
            return Optional.empty();
        }
        String key = patients.current(c, delivered.get().patientKey().get());
        Optional<JournalEntry> patient = newestPatientRecord(c, key);
        if (patient.isPresent()) {
            Patient p = (Patient) patient.get().resource();
            Reference ref = new Reference("Patient/" + p.getIdElement().getIdPart());
            List<Identifier> identifiers = p.getIdentifier();
            if (!identifiers.isEmpty()) {
                ref.setIdentifier(identifiers.get(0).copy());
            }
            return Optional.of(ref);
        }
        return sourceReference(delivered.get().resource());
    }

    private static long journalSeqOf(Connection c, String receiptId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT journal_seq FROM decision_log WHERE receipt_id = ?")) {
            ps.setString(1, receiptId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    private Optional<JournalEntry> newestPatientRecord(Connection c, String patientKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM journal WHERE resource_type = 'Patient' "
                + "AND patient_key = ? ORDER BY seq DESC")) {
            ps.setString(1, patientKey);
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? entryAt(c, rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /** The entry at exactly {@code seq}; empty when it is gone (erased) or its key was destroyed. */
    private Optional<JournalEntry> entryAt(Connection c, long seq) throws SQLException {
        if (seq < 0) {
            return Optional.empty();
        }
        List<JournalEntry> entries = journal.readAfter(c, seq - 1, 1);
        return entries.isEmpty() || entries.get(0).seq() != seq ? Optional.empty() : Optional.of(entries.get(0));
    }

    private static Optional<Reference> sourceReference(Resource resource) {
        for (String name : List.of("subject", "patient")) {
            var property = resource.getNamedProperty(name);
            if (property != null) {
                for (var value : property.getValues()) {
                    if (value instanceof Reference ref && (ref.hasReference() || ref.hasIdentifier())) {
                        Reference copy = new Reference();
                        copy.setReference(ref.getReference());
                        copy.setIdentifier(ref.hasIdentifier() ? ref.getIdentifier().copy() : null);
                        return Optional.of(copy);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
