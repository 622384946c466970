package org.twinbridge.runtime.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.runtime.testing.TestDatabases;

/** The embedded default's settings, and the one-writer rule that keeps SQLite from failing a transaction. */
class DatabaseTest {

    @TempDir
    Path dir;

    @Test
    void sqlite_opensInWalMode_withEveryCommitForcedToDisk_andForeignKeysOn() throws Exception {
        try (Database db = TestDatabases.embedded(dir.resolve("nested/dir"))) {
            assertThat(pragma(db, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(db, "synchronous")).isEqualTo("2"); // FULL
            assertThat(pragma(db, "foreign_keys")).isEqualTo("1");
        }
    }

    @Test
    void transactionOpenedInsideAnother_onTheSameThread_failsAtOnce_insteadOfWaitingForItself() throws Exception {
        try (Database db = TestDatabases.embedded(dir)) {
            assertThatThrownBy(() -> db.inTransaction(outer -> db.inTransaction(inner -> 1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("TB-STORAGE-003");
            int afterwards = db.inTransaction(c -> 2);
            assertThat(afterwards).as("the lock was released").isEqualTo(2);
        }
    }

    @Test
    void otherUrls_areRefused_withTheSettingNamed() {
        assertThatThrownBy(() -> Database.open("jdbc:h2:file:" + dir.resolve("db"), null, null))
                .hasMessageStartingWith("TB-CONFIG-004 storage.url");
    }

    private static String pragma(Database db, String name) throws Exception {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("PRAGMA " + name); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
    }
}
