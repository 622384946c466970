package org.twinbridge.runtime.observe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.twinbridge.sdk.connector.ConnectorMonitor;

/**
 * One connector's counters and health state machine: what its {@link ConnectorMonitor} calls and the journal
 * endpoint's commits feed, and what {@link #health()} reads. The state is derived when read, from the current
 * failure streak and the time of the last problem, so it moves from DOWN or DEGRADED back to UP without a further
 * event. Thread-safe.
 */
public final class ConnectorTracker implements ConnectorMonitor {

    static final String INVALID_KIND = "invalid-kind";
    private final String connectorId;
    private final String type;
    private final Clock clock;
    private final HealthPolicy policy;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong journalled = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    // Guarded by this: the streak and the last problem change together.
    private int streakFailures;
    private Instant streakStartedAt;
    private Instant lastProblemAt;
    private String lastErrorKind;
    private Instant lastJournalledAt;
    private Duration lag;
    private boolean paused;

    public ConnectorTracker(String connectorId, String type, Clock clock, HealthPolicy policy) {
        this.connectorId = Objects.requireNonNull(connectorId, "connectorId");
        this.type = Objects.requireNonNull(type, "type");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public String connectorId() {
        return connectorId;
    }

    public String type() {
        return type;
    }

    @Override
    public void received(int messages) {
        if (messages > 0) {
            received.addAndGet(messages);
        }
    }

    @Override
    public synchronized void succeeded() {
        streakFailures = 0;
        streakStartedAt = null;
    }

    /** The journal endpoint committed this connector's records: a success, and {@code added} new records. */
    public void journalled(long added) {
        if (added > 0) {
            journalled.addAndGet(added);
        }
        synchronized (this) {
            lastJournalledAt = clock.instant();
            streakFailures = 0;
            streakStartedAt = null;
        }
    }

    @Override
    public void failed(String kind) {
        failed.incrementAndGet();
        Instant now = clock.instant();
        synchronized (this) {
            if (streakFailures == 0) {
                streakStartedAt = now;
            }
            streakFailures++;
            problem(kind, now);
        }
    }

    @Override
    public void rejected(String kind) {
        failed.incrementAndGet();
        Instant now = clock.instant();
        synchronized (this) {
            problem(kind, now);
        }
    }

    private void problem(String kind, Instant now) {
        lastErrorKind = kind != null && ConnectorHealth.KIND.matcher(kind).matches() ? kind : INVALID_KIND;
        lastProblemAt = now;
    }

    @Override
    public synchronized void lag(Duration reported) {
        if (reported != null) {
            lag = reported.isNegative() ? Duration.ZERO : reported;
        }
    }

    /** Marks the connector paused or resumed by an operator; PAUSED wins over every other state. */
    public synchronized void paused(boolean value) {
        paused = value;
    }

    public synchronized boolean isPaused() {
        return paused;
    }

    /** The state now, from the streak and the last problem. */
    public synchronized ConnectorState state() {
        if (paused) {
            return ConnectorState.PAUSED;
        }
        Instant now = clock.instant();
        if (streakFailures >= policy.failuresBeforeDown()
                || streakFailures > 0 && !now.isBefore(streakStartedAt.plus(policy.downAfter()))) {
            return ConnectorState.DOWN;
        }
        if (streakFailures > 0 || lastProblemAt != null && now.isBefore(lastProblemAt.plus(policy.degradedWindow()))) {
            return ConnectorState.DEGRADED;
        }
        return ConnectorState.UP;
    }

    public long receivedCount() {
        return received.get();
    }

    public long journalledCount() {
        return journalled.get();
    }

    public long failedCount() {
        return failed.get();
    }

    /** The last reported lag in seconds, or NaN if none was reported. */
    public synchronized double lagSeconds() {
        return lag == null ? Double.NaN : lag.toNanos() / 1e9;
    }

    public synchronized ConnectorHealth health() {
        return new ConnectorHealth(connectorId, type, state(), lastErrorKind, lastProblemAt, received.get(),
                journalled.get(), failed.get(), lag, lastJournalledAt);
    }

    @Override
    public String toString() {
        return "ConnectorTracker[" + connectorId + ", " + type + "]";
    }
}
