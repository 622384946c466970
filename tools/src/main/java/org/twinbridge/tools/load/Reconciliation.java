package org.twinbridge.tools.load;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.runtime.dispatch.PipelineStats;
import org.twinbridge.runtime.journal.JournalEntry;

/**
 * Checks that every message a source saw acknowledged is in the journal. Each feed says how its message shows
 * there ({@link Feed#journalKey}): a resource id or an identifier value of a record from the feed's connector.
 */
public final class Reconciliation {

    /** One source's result: acknowledged, found in the journal, and a few of the missing keys. */
    public record SourceResult(String source, String connectorId, long acknowledged, long found, List<String> missing) {
        public SourceResult {
            missing = List.copyOf(missing);
        }

        public long lost() {
            return acknowledged - found;
        }
    }

    private final Map<String, Set<String>> keysByConnector;

    private Reconciliation(Map<String, Set<String>> keysByConnector) {
        this.keysByConnector = keysByConnector;
    }

    /** Reads the whole journal (decrypting it) and indexes each record's id and identifier values by connector. */
    public static Reconciliation readJournal(PipelineStats journal) throws SQLException {
        Map<String, Set<String>> keys = new HashMap<>();
        long after = 0;
        while (true) {
            long from = after;
            List<JournalEntry> entries = journal.readAfter(from, 500);
            if (entries.isEmpty()) {
                return new Reconciliation(keys);
            }
            for (JournalEntry entry : entries) {
                Set<String> connectorKeys = keys.computeIfAbsent(entry.connectorId(), k -> new HashSet<>());
                connectorKeys.addAll(keysOf(entry.resource()));
                after = entry.seq();
            }
        }
    }

    private static List<String> keysOf(Resource resource) {
        List<String> keys = new ArrayList<>();
        if (resource.getIdElement().hasIdPart()) {
            keys.add(resource.getIdElement().getIdPart());
        }
        var identifiers = resource.getNamedProperty("identifier");
        if (identifiers != null) {
            identifiers.getValues().stream().filter(Identifier.class::isInstance)
                    .map(v -> ((Identifier) v).getValue()).filter(v -> v != null).forEach(keys::add);
        }
        return keys;
    }

    /** Whether a record from the connector has this id or identifier value. */
    public boolean contains(String connectorId, String key) {
        return keysByConnector.getOrDefault(connectorId, Set.of()).contains(key);
    }

    /** How many of the feed's acknowledged messages reached the journal through the given connector. */
    public SourceResult check(Feed feed, AckLedger ledger, String connectorId) {
        Set<String> journalled = keysByConnector.getOrDefault(connectorId, Set.of());
        long[] found = {0};
        List<String> missing = new ArrayList<>();
        ledger.forEach(seq -> {
            String key = feed.journalKey(seq);
            if (journalled.contains(key)) {
                found[0]++;
            } else if (missing.size() < 10) {
                missing.add(key);
            }
        });
        return new SourceResult(feed.name(), connectorId, ledger.count(), found[0], missing);
    }
}
