package org.twinbridge.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * Waiting in tests for something another thread or process does. A wait is a safety net, not a measurement: it
 * must not fail a test on a machine that is merely busy (other JVMs on the same two cores). So a wait either
 * has a generous limit, or, better, watches a progress value (a count of records journalled, delivered, ...)
 * and gives up only when that value has not moved for {@link #stall()}: a slow but advancing system is waited
 * for, a stuck one fails within minutes. A hard cap bounds even a wait that keeps advancing without arriving.
 *
 * <p>The limits scale with the system property {@code twinbridge.test.wait-scale} or the environment variable
 * {@code TWINBRIDGE_TEST_WAIT_SCALE} (a number, default 1), for very slow machines. Stateless, thread-safe.
 */
public final class Await {

    /** A condition that may throw; the exception fails the wait at once. */
    @FunctionalInterface
    public interface Condition {
        boolean met() throws Exception;
    }

    /** A value that changes whenever the awaited work advances (compared with {@link Object#equals}). */
    @FunctionalInterface
    public interface Progress {
        Object value() throws Exception;
    }

    private static final Duration GENEROUS = Duration.ofMinutes(3);
    private static final Duration STALL = Duration.ofMinutes(2);
    private static final Duration CAP = Duration.ofMinutes(15);

    private Await() {
    }

    /** How long a wait with a progress value tolerates no progress. */
    public static Duration stall() {
        return scaled(STALL);
    }

    /** Waits until the condition holds, for at most a generous limit (3 minutes, scaled). */
    public static void until(String what, Condition condition) {
        waitFor(what, condition, null, scaled(GENEROUS));
    }

    /**
     * Waits until the condition holds while the progress value keeps changing: gives up when it has not changed
     * for {@link #stall()}, or after a hard cap (15 minutes, scaled).
     */
    public static void until(String what, Condition condition, Progress progress) {
        waitFor(what, condition, Objects.requireNonNull(progress, "progress"), scaled(STALL));
    }

    private static void waitFor(String what, Condition condition, Progress progress, Duration quiet) {
        long start = System.nanoTime();
        long cap = start + scaled(CAP).toNanos();
        long deadline = start + quiet.toNanos();
        Object last = progress == null ? null : read(progress, what);
        while (true) {
            try {
                if (condition.met()) {
                    return;
                }
            } catch (Exception e) {
                throw new AssertionError("failed while waiting until " + what + ": " + e, e);
            }
            long now = System.nanoTime();
            if (progress != null) {
                Object current = read(progress, what);
                if (!Objects.equals(current, last)) {
                    last = current;
                    deadline = now + quiet.toNanos();
                }
            }
            if (now - deadline > 0 || now - cap > 0) {
                throw new AssertionError("timed out waiting until " + what + (progress == null
                        ? " (" + Duration.ofNanos(now - start).toSeconds() + " s)"
                        : ": no progress for " + quiet.toSeconds() + " s (last progress value " + last + ")"));
            }
            // Short and fixed: a caller often asserts right after the condition, before the next event of a
            // periodic process (a 100 ms poll) changes the picture again.
            sleep(20);
        }
    }

    private static Object read(Progress progress, String what) {
        try {
            return progress.value();
        } catch (Exception e) {
            throw new AssertionError("failed while reading the progress of " + what + ": " + e, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }

    private static Duration scaled(Duration limit) {
        String text = System.getProperty("twinbridge.test.wait-scale", System.getenv("TWINBRIDGE_TEST_WAIT_SCALE"));
        double scale = 1;
        if (text != null && !text.isBlank()) {
            try {
                scale = Math.max(1, Double.parseDouble(text.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("twinbridge.test.wait-scale must be a number, not '" + text + "'");
            }
        }
        return Duration.ofMillis((long) (limit.toMillis() * scale));
    }
}
