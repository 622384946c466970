package org.twinbridge.runtime.dispatch;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many journal records the dispatcher holds decrypted on the heap right now, over all plugins, and the
 * most it ever held. A lagging plugin's backlog stays in the journal and is read a page at a time, so this is
 * bounded by the page size times the number of plugins, however far behind a plugin is.
 */
public final class InFlightRecords {

    private final AtomicInteger current = new AtomicInteger();
    private final AtomicInteger highWater = new AtomicInteger();

    void add(int records) {
        int now = current.addAndGet(records);
        highWater.accumulateAndGet(now, Math::max);
    }

    void remove(int records) {
        current.addAndGet(-records);
    }

    /** Records held right now. */
    public int current() {
        return current.get();
    }

    /** The most records held at once since the dispatcher was made. */
    public int highWater() {
        return highWater.get();
    }
}
