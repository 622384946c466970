package org.twinbridge.connector.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A poll failure's kind becomes a short code for the connector's health, never a sentence. */
class FhirErrorKindCodeTest {

    @ParameterizedTest
    @CsvSource({
        "HTTP_5XX,           http-5xx",
        "CONNECTION_REFUSED, connection-refused",
        "MALFORMED_BODY,     malformed-body",
        "CIRCUIT_OPEN,       circuit-open"})
    void code_isLowercaseWordsJoinedByHyphens(FhirErrorKind kind, String code) {
        assertThat(kind.code()).isEqualTo(code);
    }
}
