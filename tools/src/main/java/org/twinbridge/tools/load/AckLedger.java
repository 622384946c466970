package org.twinbridge.tools.load;

import java.util.BitSet;
import java.util.function.LongConsumer;

/**
 * Which of a feed's messages were acknowledged, as a bit per message number: a few kilobytes for a long soak,
 * so that keeping it does not show up as heap growth. Thread-safe.
 */
public final class AckLedger implements Feed.AckListener {

    private final BitSet acknowledged = new BitSet();

    @Override
    public synchronized void acknowledged(long seq) {
        acknowledged.set(Math.toIntExact(seq));
    }

    /** The highest acknowledged message number, or 0. */
    public synchronized long last() {
        return acknowledged.length() == 0 ? 0 : acknowledged.length() - 1;
    }

    public synchronized long count() {
        return acknowledged.cardinality();
    }

    /** Calls {@code action} with each acknowledged message number, in order. */
    public void forEach(LongConsumer action) {
        BitSet copy;
        synchronized (this) {
            copy = (BitSet) acknowledged.clone();
        }
        copy.stream().forEach(action::accept);
    }
}
