package org.twinbridge.runtime.dispatch;

import java.nio.file.Path;
import org.twinbridge.runtime.storage.Database;
import org.twinbridge.runtime.testing.TestDatabases;

/**
 * The dispatcher suite (cursors, state store, outputs and decisions committed together) on PostgreSQL; skipped
 * with a message when no server answers, unless {@code TWINBRIDGE_REQUIRE_SERVICES=true}.
 */
class DispatcherOnPostgresTest extends DispatcherTest {

    private String url;

    @Override
    Database database(Path dir) {
        url = TestDatabases.createPostgres();
        return TestDatabases.postgres(url);
    }

    @Override
    void dropDatabase() {
        if (url != null) {
            TestDatabases.dropPostgres(url);
        }
    }
}
