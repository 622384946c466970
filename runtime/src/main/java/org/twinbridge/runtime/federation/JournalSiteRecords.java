package org.twinbridge.runtime.federation;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.twinbridge.consent.evaluation.ConsentDecision;
import org.twinbridge.federation.site.SiteConsents;
import org.twinbridge.federation.site.SiteRecord;
import org.twinbridge.federation.site.SiteRecords;
import org.twinbridge.policy.decision.AccessRequest;
import org.twinbridge.policy.explain.ConsentCheck;
import org.twinbridge.policy.model.SensitivityLabels;
import org.twinbridge.runtime.consent.ConsentGate;
import org.twinbridge.runtime.journal.JdbcJournal;
import org.twinbridge.runtime.journal.JournalEntry;
import org.twinbridge.runtime.storage.Database;

/**
 * A node's records and consents as a federated site sees them: every record in its journal, decrypted with its
 * patient's data key and labelled with today's code lists exactly as dispatch reads it, and each patient's consent
 * read afresh from the node's consent registry through the same {@link ConsentGate} dispatch uses, so that a
 * withdrawal recorded a moment ago already keeps the patient out of the next task. Records not linked to a patient
 * are left out, as dispatch denies them; records whose patient was erased (data key destroyed) are unreadable and
 * skipped by the journal itself. Thread-safe.
 */
public final class JournalSiteRecords implements SiteRecords, SiteConsents {

    /** Journal rows read per transaction: bounds each transaction, not the task (the task sees them all). */
    private static final int PAGE = 500;

    private final Database db;
    private final JdbcJournal journal;
    private final ConsentGate consents;

    public JournalSiteRecords(Database db, JdbcJournal journal, ConsentGate consents) {
        this.db = db;
        this.journal = journal;
        this.consents = consents;
    }

    @Override
    public List<SiteRecord> records() throws SQLException {
        List<SiteRecord> out = new ArrayList<>();
        long after = 0;
        while (true) {
            long from = after;
            List<JournalEntry> page = db.inTransaction(c -> journal.readAfter(c, from, PAGE));
            if (page.isEmpty()) {
                return out;
            }
            for (JournalEntry entry : page) {
                after = entry.seq();
                entry.patientKey().ifPresent(key -> out.add(new SiteRecord(key, entry.resource(),
                        SensitivityLabels.existing(entry.resource()), Optional.of(entry.connectorId()))));
            }
        }
    }

    @Override
    public ConsentCheck.Outcome check(SiteRecord record, AccessRequest request) {
        JournalEntry entry = new JournalEntry(0, "federated-task", record.source().orElse(""),
                Optional.of(record.patientKey()), request.resource().fhirType(), request.resource());
        try {
            ConsentDecision decision = db.inTransaction(c -> consents.check(c, request.recipient(),
                    request.purpose(), entry));
            return new ConsentCheck.Outcome(decision.permitted(), decision.reason());
        } catch (SQLException | RuntimeException e) {
            // An unreadable consent must not fail open: the record is withheld, as dispatch withholds it.
            return new ConsentCheck.Outcome(false, "consent evaluation failed (" + e.getClass().getSimpleName() + ")");
        }
    }
}
