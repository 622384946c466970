package org.twinbridge.runtime.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The node's relational store (H2 file by default, PostgreSQL in production): a connection pool whose schema
 * is migrated by Flyway on open, with the same migrations on both databases.
 */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Opens the pool and migrates the schema.
     *
     * @param password may be null (H2, or PostgreSQL with trust authentication)
     */
    public static Database open(String jdbcUrl, String user, char[] password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(withStatementCache(durable(jdbcUrl)));
        config.setUsername(user == null ? (jdbcUrl.startsWith("jdbc:h2:") ? "sa" : null) : user);
        if (password != null) {
            config.setPassword(new String(password));
        }
        config.setMaximumPoolSize(8);
        config.setAutoCommit(false);
        config.setPoolName("twinbridge");
        HikariDataSource ds = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds);
    }

    /**
     * The URL with H2's write delay off, unless the operator set one. By default H2 keeps commits in memory for up to
     * half a second before writing them, so a node killed in that window (SIGKILL, OOM killer, a crash) would lose
     * transactions it had committed, after it had acknowledged them to their source: the crash-consistency test
     * showed exactly that. {@code WRITE_DELAY=0} sets the MVStore's auto-commit delay to 0, which stops its
     * background writer and its serialization and save executors; every transaction's end then writes its chunk
     * (and, where needed, the file header) on the committing thread before the commit returns (H2 2.5:
     * {@code TransactionStore.endTransaction} calls {@code MVStore.commit()} when the delay is 0, and
     * {@code FileStore.submitOrRun} runs the write inline when there is no executor). A killed process cannot
     * take back what the operating system has been handed. H2 does not force it to the disk, though: see
     * {@link #survivesPowerLoss}.
     */
    static String durable(String jdbcUrl) {
        if (!isH2File(jdbcUrl) || jdbcUrl.toUpperCase(java.util.Locale.ROOT).contains(";WRITE_DELAY=")) {
            return jdbcUrl;
        }
        return jdbcUrl + ";WRITE_DELAY=0";
    }

    /**
     * H2 re-parses any statement that is not in its per-session cache of 8, and one delivery runs more distinct
     * statements than that (cursor, decision log, audit chain, state store, patient index, keys), so without a
     * bigger cache most of them were parsed again on every record. An explicit setting in the URL wins.
     */
    static String withStatementCache(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:h2:") || jdbcUrl.toUpperCase(java.util.Locale.ROOT).contains("QUERY_CACHE_SIZE")) {
            return jdbcUrl;
        }
        return jdbcUrl + ";QUERY_CACHE_SIZE=64";
    }

    /**
     * Whether a commit on this database survives the process being killed (SIGKILL, the OOM killer, a JVM crash).
     * True for PostgreSQL, and for H2 files opened as {@link #durable} opens them; false for an H2 file whose URL
     * sets a write delay of its own.
     */
    public static boolean isCrashSafe(String jdbcUrl) {
        if (!isH2File(jdbcUrl)) {
            return true;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i);WRITE_DELAY=(\\d+)").matcher(jdbcUrl);
        return !m.find() || Long.parseLong(m.group(1)) == 0;
    }

    /**
     * Whether a commit also survives a power cut or an operating-system crash: PostgreSQL forces every commit to
     * the disk (fsync); H2 hands it to the operating system without forcing it, and has no setting to do more.
     */
    public static boolean survivesPowerLoss(String jdbcUrl) {
        return !isH2File(jdbcUrl);
    }

    private static boolean isH2File(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:h2:mem:");
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** A pooled connection with auto-commit off; the caller commits or rolls back and closes it. */
    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** Runs work in one transaction: commit on success, roll back on any exception. */
    public <T> T inTransaction(SqlWork<T> work) throws SQLException {
        try (Connection c = connection()) {
            try {
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }

    /** Work done on one connection inside a transaction. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T apply(Connection connection) throws SQLException;
    }
}
