package org.twinbridge.connector.fhir;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okForContentType;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorSettings;

/** Credentials read from secret files reach the server as HTTP headers, and never show in settings. */
class FhirAuthTest extends WireMockFhirTest {

    private static final String TOKEN = "tok-7f3a9c2e-secret";
    private static final String PASSWORD = "pw-correct-horse-battery";
    @TempDir
    Path dir;

    @BeforeEach
    void stubEmptySearch() {
        wireMock.stubFor(get(urlPathEqualTo("/fhir/Observation"))
                .willReturn(okForContentType(WireMockFhir.FHIR_JSON, WireMockFhir.searchset(wireMock, null))));
    }

    @Test
    void poll_withBearerTokenFile_sendsBearerAuthorization() throws Exception {
        Path tokenFile = secretFile("token", TOKEN + "\n");

        pollOnce(Map.of("type", "bearer", "token-file", tokenFile.toString()));

        wireMock.verify(getRequestedFor(urlPathEqualTo("/fhir/Observation"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
    }

    @Test
    void poll_withBasicPasswordFile_sendsBasicAuthorization() throws Exception {
        Path passwordFile = secretFile("password", PASSWORD + "\n");

        pollOnce(Map.of("type", "basic", "username", "twinbridge", "password-file", passwordFile.toString()));

        String expected = Base64.getEncoder()
                .encodeToString(("twinbridge:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        wireMock.verify(getRequestedFor(urlPathEqualTo("/fhir/Observation"))
                .withHeader("Authorization", equalTo("Basic " + expected)));
    }

    @Test
    void poll_withoutAuth_sendsNoAuthorization() throws Exception {
        pollOnce(Map.of());

        wireMock.verify(getRequestedFor(urlPathEqualTo("/fhir/Observation")).withoutHeader("Authorization"));
    }

    @Test
    void settings_toString_namesTheSecretSource_butNotTheSecret() throws Exception {
        Path tokenFile = secretFile("token", TOKEN);

        FhirSourceSettings settings = FhirSourceSettings.from(new ConnectorSettings(Map.of(
                "base-url", "https://fhir.example.org/r4",
                "auth", Map.of("type", "bearer", "token-file", tokenFile.toString()))));

        assertThat(settings.toString()).contains("file:" + tokenFile).doesNotContain(TOKEN);
        assertThat(settings.auth().toString()).doesNotContain(TOKEN);
    }

    @Test
    void from_withEmptySecretFile_failsNamingAuth() throws Exception {
        Path tokenFile = secretFile("token", "  \n");

        assertThatThrownBy(() -> FhirSourceSettings.from(new ConnectorSettings(Map.of(
                "base-url", "https://fhir.example.org/r4",
                "auth", Map.of("type", "bearer", "token-file", tokenFile.toString())))))
                .isInstanceOfSatisfying(ConnectorConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("auth");
                    assertThat(e.getMessage()).contains(tokenFile.toString()).contains("empty");
                });
    }

    private void pollOnce(Map<String, Object> auth) throws Exception {
        try (ConnectorHarness harness = ConnectorHarness.create("ehr-auth", Map.of(
                "base-url", WireMockFhir.baseUrl(wireMock), "poll", "100ms", "resources", List.of("Observation"),
                "auth", auth)).start()) {
            assertThat(harness.awaitPolls(1).get(0).failure()).isNull();
        }
    }

    private Path secretFile(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }
}
