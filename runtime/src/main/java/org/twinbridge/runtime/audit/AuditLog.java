package org.twinbridge.runtime.audit;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The audit trail as the admin API and the CLI see it: append an entry, query, look up a receipt, verify. Each call
 * runs in its own transaction; callers never see the database. Thread-safe.
 */
public interface AuditLog {

    /** Appends one entry to the hash chain, in its own transaction. */
    void append(AuditEvent event) throws SQLException;

    /** Entries matching the query, oldest first (see {@link JdbcAuditLog#query}). */
    List<AuditRecord> query(AuditQuery query) throws SQLException;

    /** The decision a privacy receipt resolves to, if there is one. */
    Optional<AuditRecord> byReceipt(String receiptId) throws SQLException;

    /**
     * The whole chain, every checkpoint signature and the decision log checked against it. Needs the node's audit
     * verifier: an audit log built without keys fails with {@code TB-ASSEMBLY-001}.
     */
    JdbcAuditLog.Verification verify() throws SQLException;
}
