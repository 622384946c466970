package org.twinbridge.tools.load;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A source system feeding a node at a steady rate from its own thread, the way a real one behaves: each message
 * is retried until the node (or broker) acknowledges it, then the next is sent. Every acknowledged message's id
 * is reported to a listener, so that tests can check that nothing acknowledged was lost. Ids carry no PHI: the
 * feeds send synthetic data only.
 *
 * <p>{@link #stop()} lets the message in flight finish (it is retried until acknowledged or the stop's grace
 * period ends), so that what was acknowledged is final.
 */
public abstract class Feed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Feed.class);
    private static final Duration RETRY_DELAY = Duration.ofMillis(250);

    private final String name;
    private final Pace pace;
    private final AckListener onAcknowledged;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile long giveUpAtNanos = Long.MAX_VALUE;
    private volatile String lastFailure = "";
    private Thread thread;

    /**
     * @param perSecond      messages a second
     * @param onAcknowledged told the number of each acknowledged message, on the feed's thread
     */
    protected Feed(String name, double perSecond, AckListener onAcknowledged) {
        this.name = name;
        this.pace = new Pace(perSecond);
        this.onAcknowledged = onAcknowledged;
    }

    /** Sends message number {@code seq} (from 1) once; returns normally only if it was acknowledged. */
    protected abstract void sendOnce(long seq) throws Exception;

    /**
     * How message {@code seq} shows in the journal: the id or identifier the reconciliation looks for (see
     * {@link Reconciliation}).
     */
    public abstract String journalKey(long seq);

    /** Told about each acknowledged message. */
    @FunctionalInterface
    public interface AckListener {
        void acknowledged(long seq);
    }

    /** Drops any connection after a failure, so that the next attempt reconnects. */
    protected abstract void reset();

    /** Starts the feed's thread. */
    public final synchronized Feed start() {
        if (running.compareAndSet(false, true)) {
            thread = new Thread(this::loop, "twinbridge-feed-" + name);
            thread.setDaemon(true);
            thread.start();
        }
        return this;
    }

    private void loop() {
        long seq = 0;
        while (running.get() && pace.await()) {
            seq++;
            while (true) {
                attempts.incrementAndGet();
                try {
                    sendOnce(seq);
                    acknowledged.incrementAndGet();
                    onAcknowledged.acknowledged(seq);
                    break;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    refused.incrementAndGet();
                    // Our own messages only (e.g. "negative acknowledgement AE"), or just the type: the data is
                    // synthetic, but a third-party message has no business in a report.
                    lastFailure = e.getClass().getSimpleName() + (e instanceof FeedException ? ": " + e.getMessage()
                            : "");
                    LOG.debug("feed {}: message {} not acknowledged ({}); retrying", name, seq,
                            e.getClass().getSimpleName());
                    reset();
                    if (System.nanoTime() > giveUpAtNanos) {
                        return;
                    }
                    try {
                        Thread.sleep(RETRY_DELAY.toMillis());
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /**
     * Stops sending new messages and waits for the one in flight to be acknowledged, for at most {@code grace}.
     *
     * @return whether the feed ended with its last message acknowledged
     */
    public final boolean stop(Duration grace) throws InterruptedException {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        giveUpAtNanos = System.nanoTime() + grace.toNanos();
        running.set(false);
        if (t == null) {
            return true;
        }
        t.join(grace.plusSeconds(5).toMillis());
        boolean clean = !t.isAlive();
        if (!clean) {
            t.interrupt();
            t.join(5_000);
        }
        reset();
        return clean;
    }

    public final String name() {
        return name;
    }

    /** Messages acknowledged so far. */
    public final long acknowledged() {
        return acknowledged.get();
    }

    /** Send attempts that were not acknowledged (refused, negatively acknowledged, or no connection). */
    public final long refused() {
        return refused.get();
    }

    /** Why the last unacknowledged attempt failed, or "" if none did. */
    public final String lastFailure() {
        return lastFailure;
    }

    /** A refusal the feed itself diagnosed, such as a negative acknowledgement. */
    protected static final class FeedException extends Exception {
        private static final long serialVersionUID = 1L;

        public FeedException(String message) {
            super(message);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(5));
    }
}
