package org.twinbridge.connector.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.twinbridge.connector.fhir.RetryPolicy.Decision;

/** When a failed request is tried again, and after how long. */
class RetryPolicyTest {

    private static final RetryPolicy POLICY = new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(5), 2.0,
            0.5, Duration.ofMinutes(2));

    static Stream<Arguments> backoffs() {
        return Stream.of(
                // retry, random, expected wait: 1s, 2s, 4s, then capped at 5s; jitter takes up to half off
                arguments(1, 0.0, Duration.ofSeconds(1)),
                arguments(2, 0.0, Duration.ofSeconds(2)),
                arguments(3, 0.0, Duration.ofSeconds(4)),
                arguments(4, 0.0, Duration.ofSeconds(5)),
                arguments(9, 0.0, Duration.ofSeconds(5)),
                arguments(1, 0.5, Duration.ofMillis(750)),
                arguments(3, 0.998, Duration.ofMillis(2004)),
                arguments(4, 0.998, Duration.ofMillis(2505)));
    }

    @ParameterizedTest(name = "retry {0}, random {1} -> {2}")
    @MethodSource("backoffs")
    void backoff_growsExponentially_isCapped_andJittered(int retry, double random, Duration expected) {
        assertThat(POLICY.backoff(retry, random)).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(value = FhirErrorKind.class, names = {"TIMEOUT", "CONNECTION_REFUSED", "CONNECTION_FAILED",
            "HTTP_5XX", "RATE_LIMITED"})
    void afterFailure_ofTransientKind_retriesUntilTheLastAttempt(FhirErrorKind kind) {
        RetryPolicy.Retries retries = POLICY.retries(() -> 0.0);

        assertThat(retries.afterFailure(kind, Optional.empty())).isEqualTo(new Decision.Retry(Duration.ofSeconds(1)));
        assertThat(retries.afterFailure(kind, Optional.empty())).isEqualTo(new Decision.Retry(Duration.ofSeconds(2)));
        assertThat(retries.afterFailure(kind, Optional.empty())).isEqualTo(new Decision.Retry(Duration.ofSeconds(4)));
        assertThat(retries.afterFailure(kind, Optional.empty())).isEqualTo(new Decision.GiveUp(Optional.empty()));
    }

    @ParameterizedTest
    @EnumSource(value = FhirErrorKind.class, names = {"REQUEST_REJECTED", "AUTH", "MALFORMED_BODY", "CIRCUIT_OPEN",
            "JOURNAL"})
    void afterFailure_ofPermanentKind_givesUpAtOnce(FhirErrorKind kind) {
        assertThat(POLICY.retries(() -> 0.0).afterFailure(kind, Optional.empty()))
                .isEqualTo(new Decision.GiveUp(Optional.empty()));
    }

    @Test
    void afterFailure_withRetryAfter_waitsWhatTheServerAsked_notTheBackoff() {
        assertThat(POLICY.retries(() -> 0.9).afterFailure(FhirErrorKind.RATE_LIMITED,
                Optional.of(Duration.ofSeconds(42)))).isEqualTo(new Decision.Retry(Duration.ofSeconds(42)));
    }

    @Test
    void afterFailure_withRetryAfterBeyondTheMaximum_givesUp_andHoldsOffThatLong() {
        assertThat(POLICY.retries(() -> 0.0).afterFailure(FhirErrorKind.RATE_LIMITED,
                Optional.of(Duration.ofHours(1)))).isEqualTo(new Decision.GiveUp(Optional.of(Duration.ofHours(1))));
    }

    @Test
    void afterFailure_onTheLastAttemptWithRetryAfter_holdsOffThatLong() {
        RetryPolicy.Retries retries = POLICY.retries(() -> 0.0);
        for (int i = 0; i < 3; i++) {
            retries.afterFailure(FhirErrorKind.RATE_LIMITED, Optional.of(Duration.ofSeconds(30)));
        }

        assertThat(retries.afterFailure(FhirErrorKind.RATE_LIMITED, Optional.of(Duration.ofSeconds(30))))
                .isEqualTo(new Decision.GiveUp(Optional.of(Duration.ofSeconds(30))));
    }

    @Test
    void twoAttempts_retryOnce_thenGiveUp() {
        RetryPolicy.Retries retries = new RetryPolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(1), 1.0, 0.0,
                Duration.ZERO).retries(() -> 0.0);

        assertThat(retries.afterFailure(FhirErrorKind.HTTP_5XX, Optional.empty())).isInstanceOf(Decision.Retry.class);
        assertThat(retries.afterFailure(FhirErrorKind.HTTP_5XX, Optional.empty())).isInstanceOf(Decision.GiveUp.class);
    }
}
