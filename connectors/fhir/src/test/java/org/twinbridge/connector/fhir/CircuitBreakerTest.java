package org.twinbridge.connector.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.twinbridge.connector.fhir.CircuitBreaker.Permission;
import org.twinbridge.connector.fhir.CircuitBreaker.State;

/** The breaker's states: closed, open after N consecutive failures, half-open after a while, one trial. */
class CircuitBreakerTest {

    private static final Duration OPEN_FOR = Duration.ofSeconds(60);
    private final ManualTiming time = new ManualTiming();
    private final CircuitBreaker breaker = new CircuitBreaker(3, OPEN_FOR, time.timing().clock());

    @Test
    void closed_grantsRequests_andCountsConsecutiveFailures() {
        fail(2);

        assertThat(breaker.state()).isEqualTo(new State.Closed(2));
        assertThat(breaker.acquire()).isInstanceOf(Permission.Granted.class);
    }

    @Test
    void success_resetsTheCount() {
        fail(2);
        breaker.acquire();
        breaker.onSuccess();
        fail(2);

        assertThat(breaker.state()).isEqualTo(new State.Closed(2));
    }

    @Test
    void thresholdFailures_openIt_andItRefusesUntilOpenForHasPassed() {
        fail(3);

        assertThat(breaker.state()).isEqualTo(new State.Open(time.now().plus(OPEN_FOR)));
        assertThat(breaker.acquire()).isEqualTo(new Permission.Refused(time.now().plus(OPEN_FOR)));
        time.advance(OPEN_FOR.minusMillis(1));
        assertThat(breaker.acquire()).isInstanceOf(Permission.Refused.class);
    }

    @Test
    void afterOpenFor_itIsHalfOpen_andGrantsExactlyOneTrial() {
        fail(3);
        time.advance(OPEN_FOR);

        assertThat(breaker.state()).isEqualTo(new State.HalfOpen(false));
        assertThat(breaker.acquire()).isInstanceOf(Permission.Granted.class);
        assertThat(breaker.acquire()).isInstanceOf(Permission.Refused.class);
    }

    @Test
    void halfOpen_trialSuccess_closesIt() {
        fail(3);
        time.advance(OPEN_FOR);
        breaker.acquire();
        breaker.onSuccess();

        assertThat(breaker.state()).isEqualTo(new State.Closed(0));
        assertThat(breaker.acquire()).isInstanceOf(Permission.Granted.class);
    }

    @Test
    void halfOpen_trialFailure_opensItAgainForOpenFor() {
        fail(3);
        time.advance(OPEN_FOR);
        breaker.acquire();
        breaker.onFailure();

        assertThat(breaker.state()).isEqualTo(new State.Open(time.now().plus(OPEN_FOR)));
        assertThat(breaker.acquire()).isInstanceOf(Permission.Refused.class);
    }

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            assertThat(breaker.acquire()).isInstanceOf(Permission.Granted.class);
            breaker.onFailure();
        }
    }
}
