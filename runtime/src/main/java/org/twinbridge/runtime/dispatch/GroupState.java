package org.twinbridge.runtime.dispatch;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A plugin's committed twin state for one dispatch group, read once and held in memory while the plugin runs:
 * every subject the group delivers to, and the plugin-wide subjects, in one query in the group's first
 * transaction (before, each read was a transaction of its own, per record). A subject the plugin reads beyond
 * those is read once, in a short transaction, and then held too. The plugin's writes are staged on top
 * ({@link StagedStateStore}) and written once per key by {@link #write}, in the transaction that moves the cursor.
 *
 * <p>Only this plugin's dispatch writes its state between a group's read and its commit (a second, concurrent
 * dispatch of the same records fails its cursor guard and rolls back), so what is held is what each read would
 * have returned. Not thread-safe; one per group.
 */
final class GroupState implements StagedStateStore.Committed {

    private final Map<String, Map<String, String>> subjects;
    private final List<String> pluginWide;
    private final StagedStateStore.Committed elsewhere;

    private GroupState(Map<String, Map<String, String>> subjects, List<String> pluginWide,
            StagedStateStore.Committed elsewhere) {
        this.subjects = subjects;
        this.pluginWide = List.copyOf(pluginWide);
        this.elsewhere = elsewhere;
    }

    /**
     * Reads the state of {@code deliveredTo} and of the plugin-wide subjects through {@code store}.
     *
     * @param elsewhere reads a subject the group did not foresee, in a transaction of its own
     */
    static GroupState load(JdbcStateStore store, Collection<String> deliveredTo,
            StagedStateStore.Committed elsewhere) {
        List<String> pluginWide = store.pluginWideSubjects();
        TreeSet<String> all = new TreeSet<>(deliveredTo);
        all.addAll(pluginWide);
        return new GroupState(new HashMap<>(store.snapshots(all)), pluginWide, elsewhere);
    }

    @Override
    public Optional<String> get(String subject, String key) {
        return Optional.ofNullable(snapshotOf(subject).get(key));
    }

    @Override
    public Map<String, String> snapshot(String subject) {
        return Map.copyOf(snapshotOf(subject));
    }

    @Override
    public List<String> pluginWideSubjects() {
        return pluginWide;
    }

    private Map<String, String> snapshotOf(String subject) {
        Map<String, String> known = subjects.get(subject);
        if (known == null) {
            known = elsewhere.snapshot(subject);
            subjects.put(subject, known);
        }
        return known;
    }

    /**
     * Writes the group's staged changes, given in the order made, once per key: only the last value of each key
     * reaches the store, in the caller's transaction.
     */
    static void write(JdbcStateStore store, List<StagedStateStore.Change> changes) {
        for (StagedStateStore.Change change : net(changes)) {
            if (change.value().isPresent()) {
                store.put(change.subject(), change.key(), change.value().get());
            } else {
                store.delete(change.subject(), change.key());
            }
        }
    }

    /** The last change of each key, in the order of those last changes. */
    static List<StagedStateStore.Change> net(List<StagedStateStore.Change> changes) {
        Map<List<String>, StagedStateStore.Change> last = new LinkedHashMap<>();
        for (StagedStateStore.Change change : changes) {
            List<String> address = List.of(change.subject(), change.key());
            last.remove(address); // keep the order of the last writes
            last.put(address, change);
        }
        return List.copyOf(last.values());
    }
}
