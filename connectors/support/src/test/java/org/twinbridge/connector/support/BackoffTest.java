package org.twinbridge.connector.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one backoff schedule of TwinBridge's retries, on Resilience4j's interval function. */
class BackoffTest {

    static Stream<Arguments> schedule() {
        Backoff doubling = Backoff.doubling(Duration.ofSeconds(1), Duration.ofMinutes(1));
        Backoff tripling = new Backoff(Duration.ofMillis(250), Duration.ofMinutes(1), 3.0);
        return Stream.of(
                arguments(doubling, 1, Duration.ofSeconds(1)),
                arguments(doubling, 2, Duration.ofSeconds(2)),
                arguments(doubling, 6, Duration.ofSeconds(32)),
                arguments(doubling, 7, Duration.ofMinutes(1)),
                arguments(doubling, 100, Duration.ofMinutes(1)),
                arguments(tripling, 3, Duration.ofMillis(2250)),
                arguments(Backoff.doubling(Duration.ZERO, Duration.ZERO), 5, Duration.ZERO),
                arguments(Backoff.doubling(Duration.ofSeconds(5), Duration.ofSeconds(5)), 3, Duration.ofSeconds(5)));
    }

    @ParameterizedTest(name = "{0} after {1} failures -> {2}")
    @MethodSource("schedule")
    void after_growsByTheMultiplier_andIsCapped(Backoff backoff, int failures, Duration expected) {
        assertThat(backoff.after(failures)).isEqualTo(expected);
    }

    @Test
    void invalidSchedules_areRefused() {
        assertThatThrownBy(() -> Backoff.doubling(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.doubling(Duration.ofSeconds(1), Duration.ofSeconds(2)).after(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
