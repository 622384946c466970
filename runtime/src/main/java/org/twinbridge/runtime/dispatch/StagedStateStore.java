package org.twinbridge.runtime.dispatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.twinbridge.sdk.DeliveryLimits;
import org.twinbridge.sdk.StateStore;

/**
 * A plugin's state while the plugin runs outside any transaction: reads go to the committed store (each in a
 * short transaction of its own) under the writes staged so far, and writes are only staged, record by record,
 * to be applied in the transaction that also moves the cursor. A record whose delivery fails has its writes
 * dropped ({@link #discardRecord}), as a savepoint's rollback dropped them before. One dispatch thread per
 * plugin uses it; not thread-safe.
 */
final class StagedStateStore implements StateStore, SubjectStates {

    /** The committed store, read outside the delivery transaction. */
    interface Committed {
        Optional<String> get(String subject, String key);

        Map<String, String> snapshot(String subject);

        List<String> pluginWideSubjects();
    }

    /** One staged write; an empty value deletes the key. */
    record Change(String subject, String key, Optional<String> value) {
    }

    private final String pluginId;
    private final Committed committed;
    // subject -> key -> staged value (empty: deleted)
    private final Map<String, Map<String, Optional<String>>> staged = new HashMap<>();
    private final List<Change> recordChanges = new ArrayList<>();
    // What each key held before the current record first wrote it, to undo the record's writes
    private final Map<List<String>, Optional<Optional<String>>> recordUndo = new HashMap<>();

    StagedStateStore(String pluginId, Committed committed) {
        this.pluginId = pluginId;
        this.committed = committed;
    }

    /** Starts a record: its writes are collected apart from the earlier records'. */
    void beginRecord() {
        recordChanges.clear();
        recordUndo.clear();
    }

    /** The current record's writes, in the order made, to apply at commit. */
    List<Change> recordChanges() {
        return List.copyOf(recordChanges);
    }

    /** Drops the current record's writes: its delivery failed. */
    void discardRecord() {
        recordUndo.forEach((address, before) -> {
            Map<String, Optional<String>> values = staged.get(address.get(0));
            if (before.isEmpty()) {
                values.remove(address.get(1));
            } else {
                values.put(address.get(1), before.get());
            }
        });
        beginRecord();
    }

    @Override
    public Optional<String> get(String subject, String key) {
        DeliveryLimits.checkStateAddress(subject, key);
        Optional<String> stagedValue = staged.getOrDefault(subject, Map.of()).get(key);
        return stagedValue != null ? stagedValue : committed.get(subject, key);
    }

    @Override
    public Map<String, String> snapshot(String subject) {
        DeliveryLimits.checkStateAddress(subject, "snapshot");
        Map<String, String> values = new TreeMap<>(committed.snapshot(subject));
        staged.getOrDefault(subject, Map.of()).forEach((key, value) -> {
            if (value.isPresent()) {
                values.put(key, value.get());
            } else {
                values.remove(key);
            }
        });
        return values;
    }

    @Override
    public List<String> pluginWideSubjects() {
        TreeSet<String> subjects = new TreeSet<>(committed.pluginWideSubjects());
        for (String subject : staged.keySet()) {
            if (subject.startsWith(pluginId + ".")) {
                subjects.add(subject);
            }
        }
        subjects.removeIf(subject -> staged.containsKey(subject) && snapshot(subject).isEmpty());
        return List.copyOf(subjects);
    }

    @Override
    public void put(String subject, String key, String value) {
        DeliveryLimits.checkStateAddress(subject, key);
        DeliveryLimits.checkStateValue(key, value);
        stage(subject, key, Optional.of(value));
    }

    @Override
    public void delete(String subject, String key) {
        DeliveryLimits.checkStateAddress(subject, key);
        stage(subject, key, Optional.empty());
    }

    private void stage(String subject, String key, Optional<String> value) {
        Map<String, Optional<String>> values = staged.computeIfAbsent(subject, s -> new HashMap<>());
        recordUndo.putIfAbsent(List.of(subject, key), Optional.ofNullable(values.get(key)));
        values.put(key, value);
        recordChanges.add(new Change(subject, key, value));
    }
}
