package org.twinbridge.connector.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code Retry-After} as delay-seconds or HTTP-date (RFC 9110 §10.2.3). */
class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-01-15T09:00:00Z");

    @ParameterizedTest(name = "''{0}'' -> {1}s")
    @CsvSource(delimiter = '|', value = {
            "0 | 0",
            "7 | 7",
            " 120  | 120",
            "Thu, 15 Jan 2026 09:00:30 GMT | 30",
            "Thu, 15 Jan 2026 10:00:00 GMT | 3600",
            "Thu, 15 Jan 2026 08:59:00 GMT | 0"})
    void parse_readsSecondsAndHttpDates(String header, long seconds) {
        assertThat(RetryAfter.parse(header, NOW)).contains(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"soon", "-5", "1.5", "2026-01-15T09:00:30Z", "99999999999999999999999"})
    void parse_ignoresWhatItCannotRead(String header) {
        assertThat(RetryAfter.parse(header, NOW)).isEqualTo(Optional.empty());
    }
}
