package org.twinbridge.connector.hl7v2;

import org.twinbridge.testkit.SharedData;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.twinbridge.connector.hl7v2.internal.mapping.MappingOptions;
import org.twinbridge.connector.hl7v2.internal.mapping.MessageMapper;
import org.twinbridge.connector.hl7v2.internal.mapping.MessageType;
import org.twinbridge.connector.hl7v2.internal.wire.Frame;
import org.twinbridge.connector.hl7v2.internal.wire.MshHeader;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * Every message in the shared HL7 v2 corpus ({@code shared/data/hl7v2}), sent over a real socket with MLLP
 * framing, byte for byte as stored: ADT and ORU are accepted (AA) with every mapped record journalled, except
 * where a value does not parse as its type (AE); the other
 * types and v2.2 are refused (AR); both FHS/BHS batch files are answered message by message; and sending the
 * whole corpus again stores nothing new.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedHl7CorpusTest {

    /** Edge cases: what each one is, and so what it must get. */
    private static final Map<String, String> EDGE_CASES = Map.of(
            "hapi_BAR_P01_3-encoding-chars.hl7", "AR",   // BAR^P01, and MSH-2 has three characters only
            "hapi_BAR_P01_custom-encoding-chars.hl7", "AR",
            "hapi_ORM_O01_v2.2.hl7", "AR",               // v2.2
            "hapi_cv.04_001_chem.hl7", "AR",             // ERP^Z99 with Z-segments
            "hapi_omd_o03_rep.hl7", "AR",
            "lfh_ORU-multiline.hl7", "AA",               // 529 OBX, \F\ and \T\
            "rs_etor_ORU_20240220.hl7", "AA",            // \.br\
            "rs_hci.hl7", "AA",                          // \X0d0a\, five encoding characters
            "rs_sample_oru_20241015-001.hl7", "AA");     // 149 OBX, \.br\ and \R\, UTF-8 micro sign

    private Path corpus;
    private Hl7Harness lab;
    private final MessageMapper mapper = new MessageMapper(new MappingOptions(Hl7Harness.CONNECTOR_ID, Map.of(),
            Optional.empty(), ZoneOffset.systemDefault()));

    @BeforeAll
    void start() throws Exception {
        corpus = SharedData.require("hl7v2");
        lab = Hl7Harness.start();
    }

    @AfterAll
    void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    Stream<String> singleMessages() throws IOException {
        Path root = SharedData.require("hl7v2");
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".hl7"))
                    .map(f -> root.relativize(f).toString().replace('\\', '/'))
                    .filter(f -> !f.startsWith("batch/")).sorted().toList().stream();
        }
    }

    /**
     * Corpus messages with a value that does not parse as its type: AE naming the field (TB-HL7-033), never AA
     * with the value guessed or dropped. Real senders make these slips; the ERR tells them where.
     */
    private static final Map<String, String> INVALID_VALUES = Map.of(
            "oru/rs_sample_oru_CDPH_NBS_20241021-001.hl7", "AE");   // OBX-14 of OBX #4 is 220241021055726

    private static String expected(String relative) {
        if (INVALID_VALUES.containsKey(relative)) {
            return INVALID_VALUES.get(relative);
        }
        String folder = relative.substring(0, relative.indexOf('/'));
        return switch (folder) {
            case "adt", "oru" -> "AA";
            case "other" -> "AR";
            default -> EDGE_CASES.get(relative.substring(relative.indexOf('/') + 1));
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singleMessages")
    void everyMessage_isAnsweredForWhatItIs_andAcceptedOnesAreJournalledWhole(String relative) throws Exception {
        byte[] bytes = Files.readAllBytes(corpus.resolve(relative));
        // Decoded as the connector decodes it: by MSH-18 where declared (one file declares 8859/1), else UTF-8.
        String text = Frame.of(bytes, StandardCharsets.UTF_8).messages().get(0);
        MshHeader header = MshHeader.read(text).orElseThrow();
        int commitsBefore = lab.journal().commits();
        AckView ack;
        try (MllpClient client = lab.client()) {
            client.sendFrame(bytes);
            ack = AckView.of(new String(client.readFrame(), StandardCharsets.UTF_8));
        }

        assertThat(ack.code()).as(ack.toString()).isEqualTo(expected(relative));
        assertThat(ack.acknowledgedId()).isEqualTo(header.controlId());
        if (ack.code().equals("AA")) {
            assertThat(lab.journal().commits()).isEqualTo(commitsBefore + 1);
            List<CanonicalRecord> mapped = mapper.map(header, text, MessageType.of(header.messageCode(),
                    header.triggerEvent()).orElseThrow());
            assertThat(mapped).allSatisfy(r -> assertThat(lab.journal().holds(r)).as(r.sourceId()).isTrue());
            long obx = Stream.of(text.split("\r")).filter(s -> s.startsWith("OBX|")).count();
            if (header.messageCode().equals("ORU")) {
                assertThat(mapped.stream().filter(r -> r.resource().fhirType().equals("Observation")).count())
                        .as("one Observation per OBX").isEqualTo(obx);
            }
            if (text.contains("µ")) {
                assertThat(mapped).anySatisfy(r -> assertThat(FhirContext.forR4Cached().newJsonParser()
                        .encodeResourceToString(r.resource())).contains("µ"));
            }
        } else {
            assertThat(lab.journal().commits()).isEqualTo(commitsBefore);
            assertThat(ack.err()).isNotEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void batchFile_isAnsweredWithOneAckPerMessage(String name) throws Exception {
        byte[] bytes = Files.readAllBytes(corpus.resolve("batch").resolve(name));
        AckView reply;
        try (MllpClient client = lab.client()) {
            client.sendFrame(bytes);
            reply = AckView.of(new String(client.readFrame(), StandardCharsets.UTF_8));
        }

        assertThat(reply.segments().get(0)).startsWith("FHS|");
        assertThat(reply.codes()).hasSize(20).containsOnly("AA");
        assertThat(reply.all("BTS")).containsExactly("BTS|20");
        assertThat(reply.all("FTS")).containsExactly("FTS|1");
    }

    Stream<String> batches() {
        return Stream.of("rs_sample-batch-pdi-20210608-0001.hl7", "rs_test-0001-input-covid-19.hl7");
    }

    @Test
    void theWholeCorpusSentTwice_storesNothingTheSecondTime() throws Exception {
        try (Hl7Harness fresh = Hl7Harness.start(); MllpClient client = fresh.client()) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(corpus)) {
                files = walk.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".hl7")).sorted().toList();
            }
            for (Path file : files) {
                client.sendFrame(Files.readAllBytes(file));
                client.readFrame();
            }
            int stored = fresh.journal().records().size();
            for (Path file : files) {
                client.sendFrame(Files.readAllBytes(file));
                client.readFrame();
            }

            assertThat(stored).isGreaterThan(1000);
            assertThat(fresh.journal().records()).hasSize(stored);
        }
    }
}
