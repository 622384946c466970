package org.twinbridge.connector.fhir;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorSettings;

/**
 * Timeouts, retries and the circuit breaker of one connector, from its {@code timeouts}, {@code retry} and
 * {@code circuit-breaker} sections. Every key is optional; the defaults suit a hospital EHR polled every 30 s.
 *
 * @param connectTimeout   longest wait to open a connection
 * @param readTimeout      longest wait for an answer to a request
 * @param retry            when and how often to retry
 * @param failureThreshold consecutive server faults that open the circuit breaker
 * @param openFor          how long the open breaker leaves the server alone before one trial request
 */
record ResilienceSettings(Duration connectTimeout, Duration readTimeout, RetryPolicy retry, int failureThreshold,
        Duration openFor) {

    static final ResilienceSettings DEFAULTS = new ResilienceSettings(Duration.ofSeconds(10), Duration.ofSeconds(30),
            new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0, 0.5, Duration.ofMinutes(2)),
            5, Duration.ofMinutes(1));

    static ResilienceSettings from(ConnectorSettings settings) throws ConnectorConfigException {
        ConnectorSettings timeouts = section(settings, "timeouts", Set.of("connect", "read"));
        ConnectorSettings retry = section(settings, "retry",
                Set.of("max-attempts", "initial-backoff", "max-backoff", "multiplier", "jitter", "max-retry-after"));
        ConnectorSettings breaker = section(settings, "circuit-breaker", Set.of("failure-threshold", "open-for"));
        RetryPolicy defaults = DEFAULTS.retry();

        Duration connect = positive(timeouts, "timeouts", "connect", DEFAULTS.connectTimeout());
        Duration read = positive(timeouts, "timeouts", "read", DEFAULTS.readTimeout());
        int maxAttempts = whole(retry, "retry", "max-attempts", defaults.maxAttempts(), 1, 20);
        Duration initial = positive(retry, "retry", "initial-backoff", defaults.initialBackoff());
        Duration max = positive(retry, "retry", "max-backoff", defaults.maxBackoff());
        if (max.compareTo(initial) < 0) {
            throw new ConnectorConfigException("retry", "'retry.max-backoff' (" + max.toMillis()
                    + "ms) must not be shorter than 'retry.initial-backoff' (" + initial.toMillis() + "ms)");
        }
        double multiplier = decimal(retry, "retry", "multiplier", defaults.multiplier(), 1.0, 10.0);
        double jitter = decimal(retry, "retry", "jitter", defaults.jitter(), 0.0, 1.0);
        Duration maxRetryAfter = duration(retry, "retry", "max-retry-after", defaults.maxRetryAfter());
        int threshold = whole(breaker, "circuit-breaker", "failure-threshold", DEFAULTS.failureThreshold(), 1, 1000);
        Duration openFor = positive(breaker, "circuit-breaker", "open-for", DEFAULTS.openFor());
        return new ResilienceSettings(connect, read,
                new RetryPolicy(maxAttempts, initial, max, multiplier, jitter, maxRetryAfter), threshold, openFor);
    }

    private static ConnectorSettings section(ConnectorSettings settings, String name, Set<String> keys)
            throws ConnectorConfigException {
        ConnectorSettings section = settings.section(name);
        for (String key : section.asMap().keySet()) {
            if (!keys.contains(key)) {
                throw new ConnectorConfigException(name, "'" + name + "." + key + "' is not a setting; expected one of "
                        + String.join(", ", new TreeSet<>(keys)));
            }
        }
        return section;
    }

    private static Duration duration(ConnectorSettings section, String name, String key, Duration fallback)
            throws ConnectorConfigException {
        try {
            return section.duration(key, fallback);
        } catch (ConnectorConfigException e) {
            throw new ConnectorConfigException(name, "'" + name + "." + e.getMessage().substring(1));
        }
    }

    private static Duration positive(ConnectorSettings section, String name, String key, Duration fallback)
            throws ConnectorConfigException {
        Duration value = duration(section, name, key, fallback);
        if (value.isZero()) {
            throw new ConnectorConfigException(name, "'" + name + "." + key + "' must be longer than 0");
        }
        return value;
    }

    private static int whole(ConnectorSettings section, String name, String key, int fallback, int min, int max)
            throws ConnectorConfigException {
        String text = string(section, name, key);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw new ConnectorConfigException(name, "'" + name + "." + key + "' must be a whole number from " + min
                + " to " + max + ", not '" + text + "'");
    }

    private static double decimal(ConnectorSettings section, String name, String key, double fallback, double min,
            double max) throws ConnectorConfigException {
        String text = string(section, name, key);
        if (text == null) {
            return fallback;
        }
        try {
            double value = Double.parseDouble(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw new ConnectorConfigException(name, "'" + name + "." + key + "' must be a number from " + min + " to "
                + max + ", not '" + text + "'");
    }

    private static String string(ConnectorSettings section, String name, String key)
            throws ConnectorConfigException {
        try {
            return section.string(key).orElse(null);
        } catch (ConnectorConfigException e) {
            throw new ConnectorConfigException(name, "'" + name + "." + key + "' must be a single value");
        }
    }
}
