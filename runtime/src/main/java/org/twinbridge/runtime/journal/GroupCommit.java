package org.twinbridge.runtime.journal;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Lets concurrent appenders share one transaction: each caller queues its records and waits; whichever caller
 * finds no commit running becomes the committer for one turn and commits what is queued, oldest first (its own
 * records and the others'), in one transaction; then the turn passes to a caller still waiting. Every caller returns only once a transaction holding its own
 * records has committed, with its own result, or with the failure of its own records.
 *
 * <p><b>Why a committer, not a lock.</b> With a lock each append is one transaction and one forced write to the
 * disk; twenty MLLP connections or a burst of MQTT readings then queue behind twenty commits. Here they wait for
 * one. There is still one transaction at a time, so journal positions become visible in the order they were
 * assigned, which dispatch's cursors rely on.
 *
 * <p><b>Failures stay the caller's own.</b> If a shared transaction fails, it is rolled back and each caller's
 * records are committed again on their own, so a record that cannot be journalled fails its own caller only.
 *
 * <p>Thread-safe. Callers wait without being interruptible (the interrupt is kept for after): their records may
 * be in a transaction already, and the caller learns its outcome only when that transaction has ended.
 *
 * @param <I> what a caller appends
 * @param <O> what it gets back
 */
final class GroupCommit<I, O> {

    /** Commits the inputs of several callers in one transaction; returns one result per input, in order. */
    @FunctionalInterface
    interface Committer<I, O> {
        List<O> commit(List<I> inputs) throws SQLException;
    }

    private final Committer<I, O> committer;
    private final int maxItems;
    private final ConcurrentLinkedQueue<Pending<I, O>> queue = new ConcurrentLinkedQueue<>();
    private final Object turn = new Object();
    private boolean committing; // guarded by turn

    /**
     * @param maxItems how many items (records) one transaction takes at most; a single caller's input is never
     *                 split, so one larger input is committed alone
     */
    GroupCommit(Committer<I, O> committer, int maxItems) {
        this.committer = Objects.requireNonNull(committer, "committer");
        if (maxItems < 1) {
            throw new IllegalArgumentException("maxItems must be at least 1, not " + maxItems);
        }
        this.maxItems = maxItems;
    }

    /** Commits {@code input} (with whatever else is queued) and returns its result once it is committed. */
    O submit(I input, int items) throws SQLException {
        Pending<I, O> mine = new Pending<>(input, items);
        queue.add(mine);
        boolean interrupted = false;
        try {
            while (true) {
                synchronized (turn) {
                    while (committing && !mine.isDone()) {
                        try {
                            turn.wait();
                        } catch (InterruptedException e) {
                            interrupted = true;
                        }
                    }
                    if (mine.isDone()) {
                        return mine.outcome();
                    }
                    committing = true;
                }
                // One group per turn, oldest first; then the turn passes on, so no caller commits for the others
                // for longer than one transaction after its own records are in.
                try {
                    commit(nextGroup());
                } finally {
                    synchronized (turn) {
                        committing = false;
                        turn.notifyAll();
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private List<Pending<I, O>> nextGroup() {
        List<Pending<I, O>> group = new ArrayList<>();
        int items = 0;
        Pending<I, O> next;
        while ((next = queue.peek()) != null && (group.isEmpty() || items + next.items <= maxItems)) {
            queue.poll();
            group.add(next);
            items += next.items;
        }
        return group;
    }

    private void commit(List<Pending<I, O>> group) {
        if (group.isEmpty()) {
            return;
        }
        try {
            List<O> results = committer.commit(group.stream().map(p -> p.input).toList());
            for (int i = 0; i < group.size(); i++) {
                group.get(i).succeed(results.get(i));
            }
        } catch (SQLException | RuntimeException | Error e) {
            if (group.size() == 1) {
                group.get(0).fail(e);
                return;
            }
            // One caller's bad record must not fail the others: commit each on its own.
            for (Pending<I, O> pending : group) {
                commit(List.of(pending));
            }
        }
    }

    /** One caller's input and, once its transaction has ended, its result or failure. */
    private static final class Pending<I, O> {
        private final I input;
        private final int items;
        private volatile boolean done;
        private volatile O result;
        private volatile Throwable failure;

        Pending(I input, int items) {
            this.input = input;
            this.items = items;
        }

        boolean isDone() {
            return done;
        }

        void succeed(O value) {
            result = value;
            done = true;
        }

        void fail(Throwable e) {
            failure = e;
            done = true;
        }

        O outcome() throws SQLException {
            Throwable e = failure;
            if (e == null) {
                return result;
            }
            if (e instanceof SQLException sql) {
                throw sql;
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw (Error) e;
        }
    }
}
