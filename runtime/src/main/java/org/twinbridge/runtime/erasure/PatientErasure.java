package org.twinbridge.runtime.erasure;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.twinbridge.consent.jdbc.JdbcConsentRegistry;
import org.twinbridge.runtime.audit.AuditEvent;
import org.twinbridge.runtime.audit.AuditTrail;
import org.twinbridge.runtime.consent.IndexedPatientResolver;
import org.twinbridge.runtime.consent.PatientId;
import org.twinbridge.runtime.dispatch.PluginErasure;
import org.twinbridge.runtime.dispatch.Subscriber;
import org.twinbridge.runtime.journal.JdbcJournal;
import org.twinbridge.runtime.journal.PatientIndex;
import org.twinbridge.runtime.storage.Database;

/**
 * The right to erasure, in one transaction: every plugin forgets the patient ({@code onErase}, then its state
 * rows and outputs go), the patient's journal records are made unreadable ({@link JdbcJournal#eraseRecordsOf}),
 * every version of their consents and their patient-index links are deleted, and a {@code consent.erasure}
 * audit event records the counts. Nothing about the patient that the node could read remains, except the audit
 * event (internal key and counts) and decision-log rows (ids, rules and reasons, no clinical content). After the
 * commit the deleted bytes are scrubbed from the database's files ({@link Database#scrubDeleted}).
 */
public final class PatientErasure {

    private final Database db;
    private final JdbcJournal journal;
    private final PatientIndex patients;
    private final JdbcConsentRegistry consents;
    private final PluginErasure plugins;
    private final AuditTrail audit;

    public PatientErasure(Database db, JdbcJournal journal, PatientIndex patients, JdbcConsentRegistry consents,
            PluginErasure plugins, AuditTrail audit) {
        this.db = db;
        this.journal = journal;
        this.patients = patients;
        this.consents = consents;
        this.plugins = plugins;
        this.audit = audit;
    }

    /**
     * What one erasure removed; no PHI.
     *
     * @param patientKey the internal key that was erased (it no longer resolves)
     */
    public record Report(String patientKey, int journalRecords, int consentVersions, int identifierLinks,
            PluginErasure.Result plugins) {

        /** The counts, as audit details. */
        public Map<String, String> details() {
            Map<String, String> details = new TreeMap<>();
            details.put("journal_records", Integer.toString(journalRecords));
            details.put("consent_versions", Integer.toString(consentVersions));
            details.put("identifier_links", Integer.toString(identifierLinks));
            details.put("plugins", Integer.toString(plugins.plugins()));
            details.put("plugins_notified", Integer.toString(plugins.notified()));
            details.put("plugin_state_rows", Integer.toString(plugins.stateRows()));
            details.put("twin_outputs", Integer.toString(plugins.outputs()));
            if (!plugins.failedPlugins().isEmpty()) {
                details.put("plugins_failed", String.join(",", plugins.failedPlugins()));
            }
            return details;
        }
    }

    /** The internal key the operator's patient id resolves to, if the node knows the patient. */
    public Optional<String> resolve(PatientId id) throws SQLException {
        return new IndexedPatientResolver(db, patients).patientKey(id);
    }

    /**
     * Erases the patient.
     *
     * @param loaded the plugins to call {@code onErase} on
     * @param actor  who asked, for the audit event, e.g. {@code cli:alice}
     */
    public Report erase(String patientKey, List<Subscriber> loaded, String actor) throws SQLException {
        Report erased = db.inTransaction(c -> {
            Report report = eraseIn(c, patientKey, loaded);
            audit.record(c, new AuditEvent("consent.erasure", actor, patientKey, report.details()));
            return report;
        });
        db.scrubDeleted();
        return erased;
    }

    private Report eraseIn(Connection c, String patientKey, List<Subscriber> loaded) throws SQLException {
        PluginErasure.Result pluginResult = plugins.erase(c, patientKey, loaded);
        int records = journal.eraseRecordsOf(c, patientKey);
        int versions = consents.erase(c, patientKey);
        int links = patients.forget(c, patientKey);
        return new Report(patientKey, records, versions, links, pluginResult);
    }
}
