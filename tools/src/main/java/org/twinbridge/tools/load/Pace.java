package org.twinbridge.tools.load;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A steady rate: {@link #await()} returns at most {@code perSecond} times a second on average, without bursts to
 * catch up after a stall (a sender that was blocked by a node outage resumes at the rate, not faster).
 */
final class Pace {

    private final long intervalNanos;
    private long next;

    Pace(double perSecond) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("TB-LOAD-001 the rate must be positive, not " + perSecond);
        }
        this.intervalNanos = (long) (TimeUnit.SECONDS.toNanos(1) / perSecond);
        this.next = System.nanoTime();
    }

    /** Waits for the next slot; returns false if the thread was interrupted. */
    boolean await() {
        long now = System.nanoTime();
        if (next < now - intervalNanos) {
            next = now;
        }
        while (System.nanoTime() < next) {
            LockSupport.parkNanos(next - System.nanoTime());
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
        }
        next += intervalNanos;
        return true;
    }
}
