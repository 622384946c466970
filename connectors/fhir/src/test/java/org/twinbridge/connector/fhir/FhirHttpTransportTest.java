package org.twinbridge.connector.fhir;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import org.junit.jupiter.api.Test;

/**
 * The transport under HAPI's client cannot be swapped or routed elsewhere: every request must go through
 * FhirHttp's fault handling, so HAPI's hooks for another HTTP client or a proxy refuse.
 */
class FhirHttpTransportTest {

    private final FhirHttpTransport transport = new FhirHttpTransport(FhirContext.forR4(), null, null);

    @Test
    void anotherHttpClient_isRefused() {
        assertThatThrownBy(() -> transport.setHttpClient(new Object()))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("FhirHttp");
    }

    @Test
    void aProxy_isRefused() {
        assertThatThrownBy(() -> transport.setProxy("proxy.example.org", 3128))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("proxy");
    }
}
