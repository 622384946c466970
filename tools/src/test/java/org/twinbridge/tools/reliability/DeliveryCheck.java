package org.twinbridge.tools.reliability;

import org.twinbridge.runtime.node.NodeTestAccess;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.twinbridge.runtime.dispatch.PluginStates;
import org.twinbridge.runtime.dispatch.Subscriber;
import org.twinbridge.runtime.journal.JournalEntry;
import org.twinbridge.runtime.node.Node;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.testplugins.DeliveryCountingTwin;

/**
 * Exactly-once, checked per plugin: for every journal record, what the active policy lets the plugin see (the
 * dispatcher's preview, which decides and projects exactly like a delivery), against the delivery counts the
 * plugin kept in its own state store.
 *
 * @param plugin      the plugin id
 * @param permitted   journal records the plugin may see
 * @param once        of those, delivered exactly once
 * @param missing     permitted but never delivered (examples)
 * @param duplicated  delivered more than once (examples)
 * @param unexpected  delivered although not permitted now (examples)
 * @param counted     every key the plugin counted
 */
record DeliveryCheck(String plugin, long permitted, long once, List<String> missing, List<String> duplicated,
        List<String> unexpected, long missingCount, long duplicatedCount, long unexpectedCount,
        Map<String, Integer> counted) {

    static DeliveryCheck of(Node node, org.twinbridge.runtime.crypto.DataKeys keys, String pluginId)
            throws Exception {
        Subscriber subscriber = node.subscribers().stream().filter(s -> s.id().equals(pluginId)).findFirst()
                .orElseThrow(() -> new AssertionError("plugin " + pluginId + " is not loaded"));
        Map<String, Integer> expected = new HashMap<>();
        long after = 0;
        while (true) {
            long from = after;
            List<JournalEntry> entries = node.pipeline().readAfter(from, 500);
            if (entries.isEmpty()) {
                break;
            }
            for (JournalEntry entry : entries) {
                Optional<AuthorisedRecord> view = node.dispatcher().preview(subscriber, entry.seq());
                view.ifPresent(v -> expected.merge(DeliveryCountingTwin.key(v), 1, Integer::sum));
                after = entry.seq();
            }
        }
        Map<String, Integer> counted = new HashMap<>();
        PluginStates.read(NodeTestAccess.database(node), keys, pluginId).forEach((k, v) -> counted.put(k, Integer.parseInt(v)));
        List<String> missing = expected.keySet().stream().filter(k -> !counted.containsKey(k)).sorted().toList();
        List<String> duplicated = counted.entrySet().stream()
                .filter(e -> e.getValue() > expected.getOrDefault(e.getKey(), 1)).map(Map.Entry::getKey).sorted()
                .toList();
        List<String> unexpected = counted.keySet().stream().filter(k -> !expected.containsKey(k)).sorted().toList();
        long once = expected.entrySet().stream().filter(e -> e.getValue().equals(counted.get(e.getKey()))).count();
        return new DeliveryCheck(pluginId, expected.size(), once, first(missing), first(duplicated),
                first(unexpected), missing.size(), duplicated.size(), unexpected.size(), Map.copyOf(counted));
    }

    private static List<String> first(List<String> keys) {
        return keys.subList(0, Math.min(5, keys.size()));
    }

    boolean exact() {
        return missingCount == 0 && duplicatedCount == 0 && unexpectedCount == 0 && once == permitted;
    }
}
