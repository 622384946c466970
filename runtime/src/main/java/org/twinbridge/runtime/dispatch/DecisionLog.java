package org.twinbridge.runtime.dispatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.twinbridge.policy.decision.Decision;
import org.twinbridge.policy.model.Obligation;
import org.twinbridge.runtime.audit.AuditEvent;
import org.twinbridge.runtime.audit.AuditTrail;
import org.twinbridge.runtime.audit.JdbcAuditTrail;
import org.twinbridge.runtime.journal.JournalEntry;

/**
 * Records one decision per record and plugin, twice in one transaction: a {@code decision_log} row (the
 * operational index that delivery statistics read) and a {@code decision} entry in the audit hash chain (the
 * authoritative record). Both carry the receipt id, so a plugin's receipt resolves to its audit entry, and
 * {@code audit verify} checks that every decision_log row has a matching entry. No PHI is stored: the patient
 * appears by internal key, the plugin's view of them by pseudonym.
 */
final class DecisionLog {

    private DecisionLog() {
    }

    /** One decision: its decision_log row and its audit event, written together by {@link #write}. */
    record Entry(String receiptId, String pluginId, long journalSeq, String purpose, String outcome, String rules,
            String reason, String policyVersion, Timestamp decidedAt, String obligations, String consent,
            AuditEvent event) {
    }

    /** Where a decision goes: written at once (replays), or held to the end of a dispatch group. */
    @FunctionalInterface
    interface Writer {
        void write(Connection c, Entry entry) throws SQLException;
    }

    /** A writer that writes each decision as it is made, in the caller's transaction. */
    static Writer immediate(AuditTrail audit) {
        return (c, entry) -> write(c, audit, List.of(entry));
    }

    /**
     * The decision's two records.
     *
     * @param delivery       {@code delivered}, {@code not delivered}, or {@code failed (<exception type>)}
     * @param pseudonym      the subject pseudonym the plugin saw, if it was given the record
     * @param consentVersion what the patient's consent said (consent ids, versions, provision paths, or the
     *                       default) when the deciding rule required consent; empty otherwise
     */
    static Entry entry(String receiptId, Subscriber subscriber, JournalEntry entry, Decision decision,
            String delivery, Optional<String> pseudonym, Optional<String> consentVersion, Clock clock) {
        String rules = clip(String.join(",", decision.rules()));
        String reason = decision instanceof Decision.Deny deny ? clip(deny.reason()) : null;
        String obligations = decision instanceof Decision.Permit permit
                ? clip(permit.obligations().isEmpty() ? "baseline projection"
                        : String.join("; ", permit.obligations().stream().map(Obligation::describe).toList()))
                : null;
        String outcome = decision.permitted() ? "PERMIT" : "DENY";
        TreeMap<String, String> details = new TreeMap<>();
        details.put(JdbcAuditTrail.PLUGIN, subscriber.id());
        details.put(JdbcAuditTrail.PURPOSE, subscriber.purpose());
        details.put(JdbcAuditTrail.OUTCOME, outcome);
        details.put(JdbcAuditTrail.RECEIPT, receiptId);
        details.put("policy_version", decision.policyVersion());
        details.put("rules", rules);
        details.put("journal_seq", Long.toString(entry.seq()));
        details.put("resource_type", entry.resource().fhirType());
        details.put("delivery", delivery);
        if (reason != null) {
            details.put("reason", reason);
        }
        if (obligations != null) {
            details.put("transforms", obligations);
        }
        pseudonym.ifPresent(p -> details.put("pseudonym", p));
        consentVersion.ifPresent(v -> details.put("consent", v));
        return new Entry(receiptId, subscriber.id(), entry.seq(), subscriber.purpose(), outcome, rules, reason,
                decision.policyVersion(), Timestamp.from(clock.instant()), obligations,
                consentVersion.map(DecisionLog::clip).orElse(null),
                new AuditEvent("decision", "node", entry.patientKey().orElse(""), details));
    }

    /**
     * Writes the decisions' rows in one batch, then appends their audit events in order. Call it last in the
     * transaction: the audit append holds the chain's lock until commit.
     */
    static void write(Connection c, AuditTrail audit, List<Entry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO decision_log (receipt_id, plugin_id, journal_seq, "
                + "purpose, outcome, rules, reason, policy_version, decided_at, obligations, consent) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Entry e : entries) {
                ps.setString(1, e.receiptId());
                ps.setString(2, e.pluginId());
                ps.setLong(3, e.journalSeq());
                ps.setString(4, e.purpose());
                ps.setString(5, e.outcome());
                ps.setString(6, e.rules());
                ps.setString(7, e.reason());
                ps.setString(8, e.policyVersion());
                ps.setTimestamp(9, e.decidedAt());
                ps.setString(10, e.obligations());
                ps.setString(11, e.consent());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        audit.recordAll(c, entries.stream().map(Entry::event).toList());
    }

    private static String clip(String text) {
        return text.length() <= 1000 ? text : text.substring(0, 1000);
    }
}
