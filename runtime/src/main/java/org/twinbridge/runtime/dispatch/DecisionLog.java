package org.twinbridge.runtime.dispatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import org.twinbridge.policy.decision.Decision;
import org.twinbridge.policy.enforcement.Obligation;

/** Writes one decision per record and plugin; a plugin's receipt id resolves to its row. No PHI is stored. */
final class DecisionLog {

    private DecisionLog() {
    }

    /**
     * @param consent what the patient's consent said (consent ids, versions, provision paths, or the default)
     *                when the deciding rule required consent; null otherwise
     */
    static void insert(Connection c, String receiptId, Subscriber subscriber, long journalSeq, Decision decision,
            String consent, Clock clock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO decision_log (receipt_id, plugin_id, journal_seq, "
                + "purpose, outcome, rules, reason, policy_version, decided_at, obligations, consent) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, receiptId);
            ps.setString(2, subscriber.id());
            ps.setLong(3, journalSeq);
            ps.setString(4, subscriber.purpose());
            ps.setString(5, decision.permitted() ? "PERMIT" : "DENY");
            ps.setString(6, clip(String.join(",", decision.rules())));
            ps.setString(7, decision instanceof Decision.Deny deny ? clip(deny.reason()) : null);
            ps.setString(8, decision.policyVersion());
            ps.setTimestamp(9, Timestamp.from(clock.instant()));
            ps.setString(10, decision instanceof Decision.Permit permit
                    ? clip(permit.obligations().isEmpty() ? "baseline projection"
                            : String.join("; ", permit.obligations().stream().map(Obligation::describe).toList()))
                    : null);
            ps.setString(11, consent == null ? null : clip(consent));
            ps.executeUpdate();
        }
    }

    private static String clip(String text) {
        return text.length() <= 1000 ? text : text.substring(0, 1000);
    }
}
