package org.twinbridge.runtime.observe;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples a {@link MetricHistory} at once and then every interval, on one daemon thread, until closed. A failed
 * sample is logged (exception class only) and the next one is taken on time: a missing minute must not stop the
 * history.
 */
public final class HistorySampler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HistorySampler.class);
    private final ScheduledExecutorService executor;

    private HistorySampler(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    public static HistorySampler start(MetricHistory history, Duration interval) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "twinbridge-metric-history");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleAtFixedRate(() -> {
            try {
                history.sample();
            } catch (RuntimeException e) {
                LOG.warn("TB-OBSERVE-002 cannot take a sample of the metric history ({})", e.getClass().getSimpleName());
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return new HistorySampler(executor);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
