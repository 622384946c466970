package org.twinbridge.connector.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile FHIR payloads at the entry points: {@link FhirPayloads} (which the file drop and MQTT connectors read
 * through) and HAPI's own parsers with the node's settings (which the FHIR connector's client uses). Deep nesting
 * is refused before a tree is built; unknown types are named; XML never resolves an external entity nor expands
 * an entity bomb. After each, a good payload still parses. The timeouts guard against hangs only.
 */
class HostileFhirPayloadTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String GOOD = "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"gender\":\"female\"}";
    private static final Duration HANG = Duration.ofSeconds(60);
    private final FhirPayloads payloads = new FhirPayloads(FHIR);

    @TempDir
    Path dir;

    private static String nested(int depth, String open, String close, String inner) {
        return open.repeat(depth) + inner + close.repeat(depth);
    }

    private void assertAGoodPayloadStillParses() throws PayloadException {
        assertThat(payloads.parseJson(GOOD.getBytes(StandardCharsets.UTF_8)).resources())
                .singleElement().isInstanceOf(Patient.class);
    }

    @Test
    void json_nested100000Deep_isRefusedWithACode_beforeParsing() throws Exception {
        String objects = "{\"resourceType\":\"Patient\",\"extension\":" + nested(100_000, "[{\"x\":", "}]", "1")
                + "}";
        String arrays = nested(100_000, "[", "]", "0");

        assertTimeoutPreemptively(HANG, () -> {
            for (String payload : new String[] {objects, arrays}) {
                assertThatThrownBy(() -> payloads.parseJson(payload.getBytes(StandardCharsets.UTF_8)))
                        .isInstanceOf(PayloadException.class)
                        .hasMessageStartingWith("TB-PAYLOAD-005 the JSON is nested deeper than 100 levels");
            }
            assertThatThrownBy(() -> payloads.parseNdjson((GOOD + "\n" + arrays).getBytes(StandardCharsets.UTF_8)))
                    .hasMessageStartingWith("TB-PAYLOAD-005 line 2: ");
        });
        assertAGoodPayloadStillParses();
    }

    @Test
    void json_nestedAsDeepAsRealResources_isRead() throws Exception {
        // A Bundle holding an Observation with extensions nested 20 deep: about 45 levels of JSON.
        String extension = nested(20, "{\"url\":\"http://example.org/x\",\"extension\":[", "]}",
                "{\"url\":\"http://example.org/leaf\",\"valueString\":\"v\"}");
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":"
                + "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"t\"},\"extension\":["
                + extension + "]}}]}";

        assertThat(payloads.parseJson(bundle.getBytes(StandardCharsets.UTF_8)).resources()).hasSize(1);
    }

    @Test
    void hapiJsonParser_asTheFhirConnectorsClientUsesIt_refusesDeepNesting_withoutOverflowingTheStack() {
        String deep = "{\"resourceType\":\"Patient\",\"extension\":" + nested(100_000, "[{\"x\":", "}]", "1") + "}";

        Throwable thrown = assertTimeoutPreemptively(HANG, () -> catchThrowable(() ->
                FHIR.newJsonParser().parseResource(deep)));

        assertThat(thrown).isInstanceOf(DataFormatException.class).isNotInstanceOf(StackOverflowError.class);
    }

    @Test
    void unknownResourceType_isRefusedByName_andAnUnprintableOneIsNotEchoed() throws Exception {
        assertThatThrownBy(() -> payloads.parseJson("{\"resourceType\":\"Spaceship\",\"id\":\"s\"}"
                .getBytes(StandardCharsets.UTF_8)))
                .hasMessage("TB-PAYLOAD-002 'resourceType' is not a FHIR R4 resource type ('Spaceship')");
        assertThatThrownBy(() -> payloads.parseJson("{\"resourceType\":\"Jane Roe 1970-01-01\"}"
                .getBytes(StandardCharsets.UTF_8)))
                .hasMessage("TB-PAYLOAD-002 'resourceType' is not a FHIR R4 resource type");
        assertAGoodPayloadStillParses();
    }

    @Test
    void wrongSchema_notAResource_isRefused() {
        assertThatThrownBy(() -> payloads.parseJson("[1,2,3]".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("TB-PAYLOAD-002 not a FHIR resource");
        assertThatThrownBy(() -> payloads.parseJson("{\"resourceType\":\"Patient\",\"birthDate\":\"not-a-date\"}"
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PayloadException.class).hasMessageStartingWith("TB-PAYLOAD-003");
    }

    @Test
    void emptyPropertyName_thatHapisParserFailsOnWithAnIndexError_isRefusedWithItsCode() throws Exception {
        // Found by FhirPayloadsFuzzTest (seed 20261129): HAPI's JsonParser reads the first character of every key.
        assertThatThrownBy(() -> payloads.parseJson("{\"resourceType\":\"Patient\",\"\":\"x\"}"
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PayloadException.class).hasMessageStartingWith("TB-PAYLOAD-003");
        assertAGoodPayloadStillParses();
    }

    @Test
    void invalidUtf8_isRefusedWithAPosition_notContent() {
        byte[] broken = "{\"resourceType\":\"Patient\",\"id\":\"Zzcanary\u00e9\"}".getBytes(StandardCharsets.UTF_8);
        broken[broken.length - 4] = (byte) 0xFF;

        assertThatThrownBy(() -> payloads.parseJson(broken)).isInstanceOf(PayloadException.class)
                .hasMessageStartingWith("TB-PAYLOAD-001").hasMessageNotContaining("Zzcanary");
    }

    @Test
    void xmlWithAnExternalEntity_neverReadsTheFile() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "CANARY-SECRET-FILE-CONTENT");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE Patient [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>"
                + "<Patient xmlns=\"http://hl7.org/fhir\"><id value=\"p1\"/><name><family value=\"&xxe;\"/></name>"
                + "</Patient>";

        Throwable thrown = assertTimeoutPreemptively(HANG, () -> catchThrowable(() -> {
            Resource parsed = (Resource) FHIR.newXmlParser().parseResource(xxe);
            assertThat(FHIR.newJsonParser().encodeResourceToString(parsed)).doesNotContain("CANARY-SECRET");
        }));

        if (thrown != null) {
            assertThat(thrown).isInstanceOf(DataFormatException.class);
            assertThat(String.valueOf(thrown.getMessage())).doesNotContain("CANARY-SECRET");
        }
    }

    @Test
    void xmlBillionLaughs_isNotExpanded() {
        StringBuilder entities = new StringBuilder("<!ENTITY lol0 \"lollollollollollollollollollol\">");
        for (int i = 1; i <= 9; i++) {
            entities.append("<!ENTITY lol").append(i).append(" \"")
                    .append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE Patient [" + entities + "]>"
                + "<Patient xmlns=\"http://hl7.org/fhir\"><id value=\"p1\"/><name><family value=\"&lol9;\"/></name>"
                + "</Patient>";

        Throwable thrown = assertTimeoutPreemptively(HANG, () -> catchThrowable(() -> {
            Resource parsed = (Resource) FHIR.newXmlParser().parseResource(bomb);
            assertThat(FHIR.newJsonParser().encodeResourceToString(parsed).length()).isLessThan(10_000);
        }));

        if (thrown != null) {
            assertThat(thrown).isInstanceOf(DataFormatException.class);
        }
    }
}
