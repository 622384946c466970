package org.twinbridge.runtime.audit;

import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.twinbridge.runtime.crypto.AuditSigner;
import org.twinbridge.runtime.storage.Database;

/** {@link AuditLog} over the node database: one transaction per call, appends through the node's trail. */
public final class TransactionalAuditLog implements AuditLog {

    /** What verification needs besides the chain: whose trail it is and how often it should be checkpointed. */
    public record Settings(String nodeId, int checkpointInterval) {
        public Settings {
            Objects.requireNonNull(nodeId, "nodeId");
        }
    }

    private final Database db;
    private final AuditTrail trail;
    private final Supplier<AuditSigner.Verifier> verifier;
    private final Settings settings;

    /** @param verifier asked only by {@link #verify}, so an audit log without keys can still append and query */
    public TransactionalAuditLog(Database db, AuditTrail trail, Supplier<AuditSigner.Verifier> verifier,
            Settings settings) {
        this.db = Objects.requireNonNull(db, "db");
        this.trail = Objects.requireNonNull(trail, "trail");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public void append(AuditEvent event) throws SQLException {
        db.inTransaction(c -> {
            trail.record(c, event);
            return null;
        });
    }

    @Override
    public List<AuditRecord> query(AuditQuery query) throws SQLException {
        return db.inTransaction(c -> JdbcAuditLog.query(c, query));
    }

    @Override
    public Optional<AuditRecord> byReceipt(String receiptId) throws SQLException {
        return db.inTransaction(c -> JdbcAuditLog.byReceipt(c, receiptId));
    }

    @Override
    public JdbcAuditLog.Verification verify() throws SQLException {
        AuditSigner.Verifier keys = verifier.get();
        return db.inTransaction(c -> JdbcAuditLog.verify(c, keys, settings.nodeId(), settings.checkpointInterval()));
    }
}
