package org.twinbridge.runtime.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The node's relational store: an SQLite file in the data directory by default, PostgreSQL in production. A
 * connection pool whose schema Flyway migrates on open, from one migration set per dialect.
 *
 * <p><b>Why SQLite, and how it keeps an acknowledged record.</b> A node acknowledges a message to its source only
 * after the commit, so a commit must survive the process being killed. H2, the earlier default, did not: killed
 * at random moments with four threads committing, H2 2.5 lost transactions whose commit had returned, with or
 * without {@code WRITE_DELAY=0}, and even with every transaction serialised (docs/reliability.md gives the probe
 * and its figures). SQLite in write-ahead-log mode with {@code synchronous=FULL} lost none in the same probe, and
 * also forces each commit to the disk, so a power cut keeps it too, as on PostgreSQL.
 *
 * <p><b>One writer.</b> SQLite lets one transaction write at a time, and a transaction that read before another's
 * commit cannot write afterwards (it fails at once, without waiting). So on SQLite every transaction of this
 * process runs under one lock, which makes them simply take turns; PostgreSQL runs them concurrently.
 */
public final class Database implements AutoCloseable {

    private static final String SQLITE = "jdbc:sqlite:";
    private static final String POSTGRESQL = "jdbc:postgresql:";

    private final HikariDataSource dataSource;
    private final ReentrantLock sqliteWriter;

    private Database(HikariDataSource dataSource, boolean sqlite) {
        this.dataSource = dataSource;
        this.sqliteWriter = sqlite ? new ReentrantLock(true) : null;
    }

    /**
     * Opens the pool and migrates the schema.
     *
     * @param jdbcUrl {@code jdbc:sqlite:<file>} or {@code jdbc:postgresql:...}
     * @param password may be null (SQLite, or PostgreSQL with trust authentication)
     */
    public static Database open(String jdbcUrl, String user, char[] password) {
        boolean sqlite = isSqlite(jdbcUrl);
        if (!sqlite && !jdbcUrl.startsWith(POSTGRESQL)) {
            throw new IllegalArgumentException("TB-CONFIG-004 storage.url must be a " + SQLITE + " or " + POSTGRESQL
                    + " URL");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (sqlite) {
            createParentDirectory(jdbcUrl);
            config.setDataSourceProperties(sqliteSettings());
        } else {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(new String(password));
        }
        config.setMaximumPoolSize(8);
        config.setAutoCommit(false);
        config.setPoolName("twinbridge");
        HikariDataSource ds = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(ds).locations(sqlite ? "classpath:db/sqlite" : "classpath:db/migration")
                    .load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds, sqlite);
    }

    /**
     * The SQLite settings every connection gets: write-ahead log, each commit forced to the disk, foreign keys
     * enforced, deleted content zeroed, and a minute's patience for a lock held by another process.
     */
    static Properties sqliteSettings() {
        Properties settings = new Properties();
        settings.setProperty("journal_mode", "WAL");
        settings.setProperty("synchronous", "FULL");
        settings.setProperty("foreign_keys", "true");
        settings.setProperty("busy_timeout", "60000");
        // Deleted content is overwritten with zeros, not left in free pages: erasure must leave nothing behind.
        settings.setProperty("secure_delete", "true");
        return settings;
    }

    /** Whether the URL names an SQLite database. */
    public static boolean isSqlite(String jdbcUrl) {
        return jdbcUrl.startsWith(SQLITE);
    }

    private static void createParentDirectory(String jdbcUrl) {
        Path parent = Path.of(jdbcUrl.substring(SQLITE.length())).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("TB-CONFIG-004 cannot create the database directory " + parent, e);
        }
    }

    /**
     * Makes deleted rows unrecoverable from the database's files, after an erasure. On SQLite the deleted
     * content is already zeroed in its pages ({@code secure_delete}), but the write-ahead log can still hold
     * earlier copies of those pages: a truncating checkpoint writes the zeroed pages into the database file and
     * empties the log. On PostgreSQL dead rows stay in the files until VACUUM (docs/operators.md).
     */
    public void scrubDeleted() throws SQLException {
        if (sqliteWriter == null) {
            return;
        }
        inTransaction(c -> {
            c.commit(); // a checkpoint cannot run inside a write transaction
            try (var s = c.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            return null;
        });
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * A pooled connection with auto-commit off; the caller commits or rolls back and closes it. It does not take
     * the SQLite writer lock: use {@link #inTransaction} wherever the node may be running.
     */
    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /**
     * Runs work in one transaction: commit on success, roll back on any exception. On SQLite the transactions of
     * this process take turns (see the class comment); a transaction opened inside another on the same thread
     * would wait for itself, so it fails at once.
     */
    /**
     * Fails at once, as {@link #inTransaction} does, if this thread is inside a transaction on SQLite. For work that
     * another thread runs on this thread's behalf while this one waits (the journal's group commit): that thread's
     * transaction would wait for this one's, and this one for it.
     */
    public void requireNoTransactionOnThisThread() {
        if (sqliteWriter != null && sqliteWriter.isHeldByCurrentThread()) {
            throw new IllegalStateException("TB-STORAGE-003 a transaction was opened inside another on the same "
                    + "thread; on SQLite it would wait for itself");
        }
    }

    public <T> T inTransaction(SqlWork<T> work) throws SQLException {
        if (sqliteWriter == null) {
            return run(work);
        }
        requireNoTransactionOnThisThread();
        sqliteWriter.lock();
        try {
            return run(work);
        } finally {
            sqliteWriter.unlock();
        }
    }

    private <T> T run(SqlWork<T> work) throws SQLException {
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
