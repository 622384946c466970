package org.twinbridge.federation.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.twinbridge.federation.site.ReleaseAudit;

/** A site's audit for tests: every event, in order. */
final class MemoryAudit implements ReleaseAudit {

    record Event(String kind, String actor, Map<String, String> details) {
    }

    private final List<Event> events = new ArrayList<>();

    @Override
    public synchronized String record(String kind, String actor, Map<String, String> details) {
        events.add(new Event(kind, actor, Map.copyOf(details)));
        return "memory #" + events.size();
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    synchronized List<Event> of(String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).toList();
    }
}
