package org.twinbridge.runtime.observe;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.runtime.dispatch.DeliveryStats;
import org.twinbridge.runtime.storage.Database;

/**
 * Each plugin's committed delivery counters and the journal's head, read from the database at most once per
 * {@link #MAX_AGE} however often the metrics are scraped. If a read fails the last values are kept: a metric
 * must not fail a scrape, and the database's own health shows in {@link NodeHealth}. Thread-safe.
 */
final class PluginProgress {

    static final Duration MAX_AGE = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(PluginProgress.class);

    /** The counters read at one moment. */
    record Snapshot(long journalHead, Map<String, DeliveryStats.PluginCounters> plugins) {
        Snapshot {
            plugins = Map.copyOf(plugins);
        }

        long delivered(String plugin) {
            DeliveryStats.PluginCounters p = plugins.get(plugin);
            return p == null ? 0 : p.delivered();
        }

        long denied(String plugin) {
            DeliveryStats.PluginCounters p = plugins.get(plugin);
            return p == null ? 0 : p.denied();
        }

        long failed(String plugin) {
            DeliveryStats.PluginCounters p = plugins.get(plugin);
            return p == null ? 0 : p.failed();
        }

        /** Journal records the plugin's cursor has not passed yet. */
        long cursorLag(String plugin) {
            DeliveryStats.PluginCounters p = plugins.get(plugin);
            return Math.max(0, journalHead - (p == null ? 0 : p.position()));
        }
    }

    private final Database db;
    private final Clock clock;
    private Snapshot last = new Snapshot(0, Map.of());
    private Instant readAt = Instant.MIN;

    PluginProgress(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    synchronized Snapshot current() {
        Instant now = clock.instant();
        if (readAt.equals(Instant.MIN) || !now.isBefore(readAt.plus(MAX_AGE))) {
            readAt = now;
            try {
                last = new Snapshot(journalHead(db), DeliveryStats.read(db));
            } catch (SQLException | RuntimeException e) {
                LOG.warn("TB-OBSERVE-001 cannot read plugin delivery counters for the metrics ({}); showing the last "
                        + "values read", e.getClass().getSimpleName());
            }
        }
        return last;
    }

    static long journalHead(Database db) throws SQLException {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT MAX(seq) FROM journal");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
