package org.twinbridge.runtime.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.twinbridge.runtime.audit.chain.ChainEntry;
import org.twinbridge.runtime.storage.Database;
import org.twinbridge.runtime.testing.TestDatabases;
import org.twinbridge.runtime.testing.TestNode;

/**
 * The audit hash chain and its signed checkpoints: appends are serialised and verifiable, and every kind of
 * tampering is detected at the first bad position.
 */
class AuditChainTest {

    @TempDir
    Path dir;
    private TestNode node;
    private Database db;
    private String pgUrl;

    private void open(String database) throws Exception {
        if (database.equals("postgresql")) {
            pgUrl = TestDatabases.createPostgres();
            db = TestDatabases.postgres(pgUrl);
        } else {
            db = TestDatabases.embedded(dir);
        }
        node = TestNode.open(dir, db);
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
        if (pgUrl != null) {
            TestDatabases.dropPostgres(pgUrl);
        }
    }

    private static AuditEvent event(int i) {
        return i % 3 == 0
                ? new AuditEvent("decision", "node", "patient-" + (i % 4), Map.of(JdbcAuditTrail.PLUGIN, "twin-a",
                        JdbcAuditTrail.PURPOSE, "TREAT", JdbcAuditTrail.OUTCOME, i % 2 == 0 ? "PERMIT" : "DENY",
                        JdbcAuditTrail.RECEIPT, "receipt-" + i, "policy_version", "sha256:abc"))
                : new AuditEvent("admin.test", "cli:tester", "", Map.of("n", Integer.toString(i)));
    }

    private void append(int count) throws Exception {
        for (int i = 1; i <= count; i++) {
            AuditEvent e = event(i);
            db.inTransaction(c -> node.audit().append(c, e));
        }
    }

    private JdbcAuditLog.Verification verify() throws Exception {
        return db.inTransaction(c -> JdbcAuditLog.verify(c, node.keys().auditVerifier(), TestNode.NODE_ID));
    }

    private int update(String sql, Object... args) throws Exception {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                return ps.executeUpdate();
            }
        });
    }

    @Test
    void append_chainsEntriesInOrder_andSignsACheckpointEveryInterval() throws Exception {
        open("sqlite");
        append(25);

        JdbcAuditLog.Verification result = verify();

        assertThat(result.intact()).isTrue();
        assertThat(result.chain().entries()).isEqualTo(25);
        assertThat(result.chain().checkpointsVerified()).isEqualTo(2);
        assertThat(result.chain().lastCheckpoint()).isEqualTo(20);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void appendAll_chainsAndCheckpointsExactlyAsAppendingOneByOne(String database) throws Exception {
        open(database);
        append(4);
        // 23 events in one batch cross two checkpoint intervals (at 10 and 20) part-way through.
        List<AuditEvent> batch = java.util.stream.IntStream.rangeClosed(5, 27).mapToObj(AuditChainTest::event)
                .toList();
        long last = db.inTransaction(c -> node.audit().appendAll(c, batch));
        append(3);

        JdbcAuditLog.Verification result = verify();

        assertThat(last).isEqualTo(27);
        assertThat(result.intact()).isTrue();
        assertThat(result.chain().entries()).isEqualTo(30);
        assertThat(result.chain().checkpointsVerified()).isEqualTo(3);
        assertThat(result.chain().lastCheckpoint()).isEqualTo(30);
    }

    @Test
    void appendAll_withAnOversizedEvent_appendsNothing() throws Exception {
        open("sqlite");
        append(2);
        List<AuditEvent> batch = List.of(event(3), new AuditEvent("admin.test", "cli:tester", "",
                Map.of("a", "x".repeat(2000), "b", "x".repeat(2000), "c", "x".repeat(2000), "d", "x".repeat(2000),
                        "e", "x".repeat(2000), "f", "x".repeat(2000), "g", "x".repeat(2000), "h", "x".repeat(2000),
                        "i", "x".repeat(2000))));

        assertThatThrownBy(() -> db.inTransaction(c -> node.audit().appendAll(c, batch)))
                .hasMessageStartingWith("TB-AUDIT-002");
        assertThat(verify().chain().entries()).isEqualTo(2);
    }

    @Test
    void verify_warnsWhenALongStretchHasNoCheckpoint_asAfterCheckpointsWereDeleted() throws Exception {
        open("sqlite");
        append(35);
        update("DELETE FROM audit_checkpoint WHERE chain_pos IN (10, 20)");

        JdbcAuditLog.Verification result = db.inTransaction(c -> JdbcAuditLog.verify(c, node.keys().auditVerifier(),
                TestNode.NODE_ID, TestNode.CHECKPOINT_INTERVAL));

        assertThat(result.intact()).as("the chain itself still verifies").isTrue();
        assertThat(result.warnings()).singleElement().asString().startsWith("TB-AUDIT-021")
                .contains("between positions 1 and 30");
    }

    @Test
    void checkpoint_atShutdown_signsTheHead_once() throws Exception {
        open("sqlite");
        append(13);

        var first = db.inTransaction(c -> node.audit().checkpoint(c, "shutdown"));
        var again = db.inTransaction(c -> node.audit().checkpoint(c, "shutdown"));

        assertThat(first).contains(13L);
        assertThat(again).isEmpty();
        assertThat(verify().chain().lastCheckpoint()).isEqualTo(13);
    }

    @Test
    void append_inATransactionThatRollsBack_leavesNoGap() throws Exception {
        open("sqlite");
        append(3);
        try {
            db.inTransaction(c -> {
                node.audit().append(c, event(4));
                throw new IllegalStateException("delivery failed");
            });
        } catch (IllegalStateException expected) {
            // the delivery and its audit entry roll back together
        }
        append(2);

        assertThat(verify().intact()).isTrue();
        assertThat(verify().chain().entries()).isEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void append_fromParallelTransactions_isSerialisedIntoOneUnbrokenChain(String database) throws Exception {
        open(database);
        int threads = 4;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        int n = thread * 1000 + i;
                        boolean rollBack = i % 7 == 3;
                        try {
                            db.inTransaction(c -> {
                                node.audit().append(c, event(n));
                                if (rollBack) {
                                    throw new IllegalStateException("rolled back on purpose");
                                }
                                return null;
                            });
                        } catch (IllegalStateException expected) {
                            // a rolled-back delivery leaves no entry and no gap
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }

        JdbcAuditLog.Verification result = verify();
        long rolledBack = threads * (long) java.util.stream.IntStream.range(0, perThread).filter(i -> i % 7 == 3).count();
        assertThat(result.chain().problem()).isEmpty();
        assertThat(result.intact()).isTrue();
        assertThat(result.chain().entries()).isEqualTo(threads * perThread - rolledBack);
    }

    /** Each way of tampering, the first position it must be reported at, and the code. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "edit an entry's details               | 7  | TB-AUDIT-011",
        "edit an entry's subject               | 7  | TB-AUDIT-011",
        "edit a receipt column                 | 9  | TB-AUDIT-011",
        "edit an entry's time                  | 7  | TB-AUDIT-011",
        "delete an entry                       | 7  | TB-AUDIT-012",
        "swap two entries (reorder)            | 7  | TB-AUDIT-013",
        "insert a row outside the chain        | 7  | TB-AUDIT-019",
        "delete an entry and re-hash the rest  | 10 | TB-AUDIT-014",
        "forge a checkpoint signature          | 10 | TB-AUDIT-015",
        "delete the tail past a checkpoint     | 16 | TB-AUDIT-017",
        "delete the last entry                 | 25 | TB-AUDIT-018",
    })
    void verify_detectsTampering_atTheFirstBadPosition(String tampering, long position, String code) throws Exception {
        open("sqlite");
        append(25);
        assertThat(verify().intact()).isTrue();

        tamper(tampering);
        JdbcAuditLog.Verification result = verify();

        assertThat(result.intact()).as(tampering).isFalse();
        String reported = result.chain().problem().map(p -> p.code() + " position " + p.position())
                .or(() -> result.unchainedNote()).or(() -> result.headNote()).orElseThrow();
        assertThat(reported).contains(code).containsPattern("position " + position + "\\b");
    }

    private void tamper(String how) throws Exception {
        switch (how.strip()) {
            case "edit an entry's details" -> update("UPDATE audit_event SET details = '{\"n\":\"999\"}' "
                    + "WHERE chain_pos = 7");
            case "edit an entry's subject" -> update("UPDATE audit_event SET subject = 'someone-else' "
                    + "WHERE chain_pos = 7");
            case "edit a receipt column" -> update("UPDATE audit_event SET receipt_id = 'forged' WHERE chain_pos = 9");
            case "edit an entry's time" -> update("UPDATE audit_event SET recorded_at = ? WHERE chain_pos = 7",
                    java.sql.Timestamp.from(java.time.Instant.parse("2020-01-01T00:00:00Z")));
            case "delete an entry" -> update("DELETE FROM audit_event WHERE chain_pos = 7");
            case "swap two entries (reorder)" -> {
                update("UPDATE audit_event SET chain_pos = -1 WHERE chain_pos = 7");
                update("UPDATE audit_event SET chain_pos = 7 WHERE chain_pos = 8");
                update("UPDATE audit_event SET chain_pos = 8 WHERE chain_pos = -1");
            }
            case "insert a row outside the chain" -> {
                // The forged row must sit between entries 6 and 7 by row order: move 7.. up first.
                update("INSERT INTO audit_event (kind, actor, subject, details, recorded_at) "
                        + "VALUES ('decision', 'node', 'x', '{}', CURRENT_TIMESTAMP)");
                update("UPDATE audit_event SET seq = seq + 1000 WHERE chain_pos >= 7");
            }
            case "delete an entry and re-hash the rest" -> rehashAfterDeleting(5);
            case "forge a checkpoint signature" -> update("UPDATE audit_checkpoint SET signature = "
                    + "(SELECT signature FROM audit_checkpoint WHERE chain_pos = 20) WHERE chain_pos = 10");
            case "delete the tail past a checkpoint" -> update("DELETE FROM audit_event WHERE chain_pos > 15");
            case "delete the last entry" -> update("DELETE FROM audit_event WHERE chain_pos = 25");
            default -> throw new IllegalArgumentException(how);
        }
    }

    /** What an attacker who can write the database and compute SHA-256 (but has no signing key) can do. */
    private void rehashAfterDeleting(long position) throws Exception {
        update("DELETE FROM audit_event WHERE chain_pos = ?", position);
        update("UPDATE audit_event SET chain_pos = chain_pos - 1 WHERE chain_pos > ?", position);
        db.inTransaction(c -> {
            String prev = ChainEntry.GENESIS;
            for (ChainEntry e : entries(c)) {
                ChainEntry fixed = new ChainEntry(e.position(), e.recordedAt(), e.kind(), e.actor(), e.subject(),
                        e.details(), e.plugin(), e.purpose(), e.outcome(), e.receipt(), prev);
                prev = fixed.hash();
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE audit_event SET prev_hash = ?, entry_hash = ? WHERE chain_pos = ?")) {
                    ps.setString(1, fixed.prevHash());
                    ps.setString(2, prev);
                    ps.setLong(3, e.position());
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE audit_head SET last_pos = last_pos - 1, last_hash = ? WHERE id = 1")) {
                ps.setString(1, prev);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static List<ChainEntry> entries(Connection c) throws java.sql.SQLException {
        List<ChainEntry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT chain_pos, recorded_at, kind, actor, subject, details, "
                + "plugin_id, purpose, outcome, receipt_id FROM audit_event ORDER BY chain_pos");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new ChainEntry(rs.getLong(1), rs.getTimestamp(2).toInstant(),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                        rs.getString(8), rs.getString(9), rs.getString(10), ChainEntry.GENESIS));
            }
        }
        return out;
    }
}
