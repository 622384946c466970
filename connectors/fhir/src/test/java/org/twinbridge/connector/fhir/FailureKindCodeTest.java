package org.twinbridge.connector.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A poll failure's kind becomes a short code for the connector's health, never a sentence. */
class FailureKindCodeTest {

    @ParameterizedTest
    @CsvSource({
        "HTTP 503,                      http-503",
        "connection failed,             connection-failed",
        "'non-FHIR response, HTTP 200', non-fhir-response-http-200",
        "malformed response,            malformed-response",
        "IllegalStateException,         illegalstateexception",
        "' --- ',                       unknown"})
    void kindCode_isLowercaseWordsJoinedByHyphens(String kind, String code) {
        assertThat(FhirPoller.kindCode(kind)).isEqualTo(code);
    }
}
