package org.twinbridge.runtime.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.twinbridge.runtime.storage.Database;

/**
 * The databases storage tests run against: a fresh SQLite file (the embedded default), and a fresh PostgreSQL database on the
 * machine's server (127.0.0.1:5432) when there is one. Without PostgreSQL those tests are skipped with a
 * message, unless {@code TWINBRIDGE_REQUIRE_SERVICES=true} (set by CI), where they fail instead.
 */
public final class TestDatabases {

    public static final String PG_HOST = System.getenv().getOrDefault("TWINBRIDGE_TEST_PG", "127.0.0.1:5432");

    private TestDatabases() {
    }

    public static Database embedded(Path dir) {
        return Database.open(embeddedUrl(dir), null, null);
    }

    /** The URL of the embedded default's file in this directory, as the node's config would name it. */
    public static String embeddedUrl(Path dir) {
        return "jdbc:sqlite:" + dir.resolve("twinbridge.db").toAbsolutePath();
    }

    /** A new, empty PostgreSQL database; dropped by {@link #dropPostgres(String)}. */
    public static String createPostgres() {
        String name = "tb_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + "/postgres", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            if (Boolean.parseBoolean(System.getenv("TWINBRIDGE_REQUIRE_SERVICES"))) {
                throw new AssertionError("PostgreSQL is required (TWINBRIDGE_REQUIRE_SERVICES=true) but "
                        + PG_HOST + " is not reachable: " + e.getMessage(), e);
            }
            Assumptions.abort("PostgreSQL not reachable at " + PG_HOST + " (" + e.getSQLState()
                    + "); skipping the PostgreSQL variant. Start it, or set TWINBRIDGE_TEST_PG=host:port.");
        }
        return "jdbc:postgresql://" + PG_HOST + "/" + name;
    }

    public static Database postgres(String url) {
        return Database.open(url, "postgres", null);
    }

    public static void dropPostgres(String url) {
        String name = url.substring(url.lastIndexOf('/') + 1);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + "/postgres", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            // Best effort: a leftover test database is harmless and named tb_test_*.
        }
    }
}
