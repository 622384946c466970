package org.twinbridge.connector.fhir;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Time as the connector sees it: a clock, a way to wait, and the random source for backoff jitter. Injected so
 * that tests can run retry and circuit-breaker schedules without waiting for them.
 *
 * @param clock   the current time
 * @param sleeper how to wait between attempts
 * @param random  uniform values in [0, 1) for jitter
 */
record Timing(Clock clock, Sleeper sleeper, DoubleSupplier random) {

    /** Waits for a while. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** The system clock, {@link Thread#sleep}, and a thread-local random source. */
    static Timing system() {
        return new Timing(Clock.systemUTC(), d -> Thread.sleep(d.toMillis()),
                () -> ThreadLocalRandom.current().nextDouble());
    }
}
