package org.twinbridge.runtime.dispatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.runtime.crypto.Pseudonyms;
import org.twinbridge.runtime.crypto.DataKeys;
import org.twinbridge.runtime.crypto.KeyOwner;

/**
 * Erases one patient from every plugin, in the caller's transaction: each loaded plugin's {@code onErase} is
 * called with the subject pseudonym it knows the patient by (its state store bound to this transaction), then
 * the subject's state rows and stored outputs are deleted, for loaded plugins and for plugins that have left
 * data behind but are no longer installed. A plugin whose {@code onErase} throws has its partial writes rolled
 * back to a savepoint; its rows are deleted anyway and the failure is reported (exception type only).
 */
public final class PluginErasure {

    private static final Logger LOG = LoggerFactory.getLogger(PluginErasure.class);
    private final Pseudonyms pseudonyms;
    private final DataKeys keys;
    private final Clock clock;

    public PluginErasure(Pseudonyms pseudonyms, DataKeys keys, Clock clock) {
        this.pseudonyms = pseudonyms;
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * What was erased.
     *
     * @param plugins        plugins whose data was looked at (loaded or with rows left behind)
     * @param notified       loaded plugins whose {@code onErase} completed
     * @param stateRows      state-store rows deleted
     * @param outputs        stored outputs deleted
     * @param failedPlugins  plugins whose {@code onErase} threw, with the exception type
     */
    public record Result(int plugins, int notified, int stateRows, int outputs, List<String> failedPlugins) {
        public Result {
            failedPlugins = List.copyOf(failedPlugins);
        }
    }

    public Result erase(Connection c, String patientKey, List<Subscriber> loaded) throws SQLException {
        Objects.requireNonNull(patientKey, "patientKey");
        TreeSet<String> pluginIds = new TreeSet<>(knownPlugins(c));
        loaded.forEach(s -> pluginIds.add(s.id()));
        int notified = 0;
        List<String> failed = new ArrayList<>();
        for (Subscriber subscriber : loaded) {
            String subject = Dispatcher.subjectOf(pseudonyms, subscriber.id(), patientKey);
            Savepoint before = c.setSavepoint();
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(subscriber.model().getClass().getClassLoader());
            try {
                subscriber.model().onErase(subject, new DeliveryContext(subscriber.id(),
                        new JdbcStateStore(c, subscriber.id(), keys,
                                keys.forWriting(c, KeyOwner.plugin(subscriber.id()))), clock));
                notified++;
            } catch (Exception | LinkageError e) {
                c.rollback(before);
                failed.add(subscriber.id() + " (" + e.getClass().getName() + ")");
                LOG.warn("TB-ERASE-002 plugin {} failed in onErase ({}); its state rows are deleted anyway",
                        subscriber.id(), e.getClass().getName());
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
        }
        int stateRows = 0;
        int outputs = 0;
        for (String pluginId : pluginIds) {
            String subject = Dispatcher.subjectOf(pseudonyms, pluginId, patientKey);
            stateRows += delete(c, "DELETE FROM plugin_state WHERE plugin_id = ? AND subject = ?", pluginId, subject);
            outputs += delete(c, "DELETE FROM twin_output WHERE plugin_id = ? AND subject = ?", pluginId, subject);
        }
        return new Result(pluginIds.size(), notified, stateRows, outputs, failed);
    }

    private static List<String> knownPlugins(Connection c) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT plugin_id FROM plugin_state UNION SELECT plugin_id "
                + "FROM twin_output UNION SELECT plugin_id FROM plugin_cursor"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    private static int delete(Connection c, String sql, String pluginId, String subject) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, pluginId);
            ps.setString(2, subject);
            return ps.executeUpdate();
        }
    }
}
