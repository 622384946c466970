package org.twinbridge.runtime.journal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tells dispatch loops that the journal has grown, so a plugin receives a record as soon as it is committed
 * instead of at its next poll. A counter of commits, not a queue: a loop that was busy while several commits
 * happened wakes once and drains them all. Waiting is bounded, so a missed signal only costs a poll interval.
 * Thread-safe.
 */
public final class JournalSignal {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition grown = lock.newCondition();
    private long commits;

    /** Called after a journal commit that added records. */
    public void committed() {
        lock.lock();
        try {
            commits++;
            grown.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The number of commits signalled so far; pass it to {@link #awaitAfter}. */
    public long commits() {
        lock.lock();
        try {
            return commits;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until a commit after {@code seen} has been signalled, or the timeout passes.
     *
     * @return true if the journal grew
     */
    public boolean awaitAfter(long seen, long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (commits == seen) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = grown.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
