package org.twinbridge.connector.file;

import org.twinbridge.testkit.RecordingJournal;
import org.twinbridge.testkit.LogCapture;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.sdk.connector.Checkpoints;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.connector.ConnectorSettings;
import org.twinbridge.sdk.connector.DeadLetter;
import org.twinbridge.sdk.model.CanonicalRecord;

/** The file drop connector on a real directory, with the node's journal and dead-letter endpoints stood in. */
class FileSourceConnectorTest {

    private static final String BUNDLE = """
            {"resourceType":"Bundle","type":"collection","entry":[
              {"fullUrl":"urn:uuid:9a1b2c3d-0000-4000-8000-000000000001",
               "resource":{"resourceType":"Patient","identifier":[{"system":"urn:mrn","value":"M-1"}]}},
              {"resource":{"resourceType":"Observation","status":"final","code":{"text":"pulse"},
               "subject":{"reference":"urn:uuid:9a1b2c3d-0000-4000-8000-000000000001"}}}]}
            """;

    @TempDir
    Path inbox;
    private final RecordingJournal journal = new RecordingJournal();
    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    private final DefaultCamelContext camel = new DefaultCamelContext();

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void bundleFile_isJournalledThenMovedToDone() throws Exception {
        start();
        Files.writeString(inbox.resolve("admission.json"), BUNDLE);

        await("the file in done/", () -> Files.exists(inbox.resolve("done/admission.json")));
        assertThat(journal.records()).extracting(r -> r.resource().fhirType()).containsExactly("Patient", "Observation");
        assertThat(((org.hl7.fhir.r4.model.Observation) journal.records().get(1).resource()).getSubject()
                .getReference()).isEqualTo("Patient/9a1b2c3d-0000-4000-8000-000000000001");
        assertThat(inbox.resolve("admission.json")).doesNotExist();
    }

    @Test
    void ndjsonFile_isJournalledLineByLine() throws Exception {
        start();
        Files.writeString(inbox.resolve("export.ndjson"), "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n"
                + "{\"resourceType\":\"Patient\",\"id\":\"b\"}\n");

        await("the file in done/", () -> Files.exists(inbox.resolve("done/export.ndjson")));
        assertThat(journal.records()).extracting(CanonicalRecord::sourceId).containsExactly("Patient/a", "Patient/b");
    }

    @Test
    void unreadableFile_goesToFailedWithAReasonAndADeadLetter_withoutContent() throws Exception {
        start();
        Files.writeString(inbox.resolve("Jane_Roe.json"), "{\"resourceType\":\"Patient\", name: Jane Roe}");

        await("the file in failed/", () -> Files.exists(inbox.resolve("failed/Jane_Roe.json")));
        String reason = Files.readString(inbox.resolve("failed/Jane_Roe.json.reason"));
        assertThat(reason).startsWith("TB-PAYLOAD-001 not valid JSON at line 1").doesNotContain("Roe");
        assertThat(deadLetters).singleElement().satisfies(d -> {
            assertThat(d.reasonCode()).isEqualTo("TB-PAYLOAD-001");
            assertThat(d.reason()).doesNotContain("Jane");
        });
        assertThat(journal.records()).isEmpty();
    }

    @Test
    void fileNotValidUtf8_goesToFailedWithAReasonAndADeadLetter_insteadOfStayingForever() throws Exception {
        start();
        byte[] latin1 = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"M\u00fcller\"}]}"
                .getBytes(StandardCharsets.ISO_8859_1);
        Files.write(inbox.resolve("latin1.json"), latin1);

        await("the file in failed/", () -> Files.exists(inbox.resolve("failed/latin1.json")));
        assertThat(inbox.resolve("latin1.json")).doesNotExist();
        assertThat(Files.readString(inbox.resolve("failed/latin1.json.reason")))
                .startsWith("TB-FILE-005 the file is not valid UTF-8 (byte offset 46)");
        assertThat(deadLetters).singleElement().satisfies(d -> {
            assertThat(d.reasonCode()).isEqualTo("TB-FILE-005");
            assertThat(d.payload()).isEqualTo(latin1);
        });
        assertThat(journal.records()).isEmpty();
    }

    @Test
    void fileThatCannotBeRead_goesToFailedWithAReasonAndADeadLetter() throws Exception {
        Path unreadable = inbox.resolve("locked.json");
        Files.writeString(unreadable, BUNDLE);
        org.junit.jupiter.api.Assumptions.assumeTrue(unreadable.toFile().setReadable(false, false)
                && !Files.isReadable(unreadable), "the file system or user (root) ignores permissions");
        start();

        await("the file in failed/", () -> Files.exists(inbox.resolve("failed/locked.json")));
        assertThat(Files.readString(inbox.resolve("failed/locked.json.reason"))).startsWith("TB-FILE-004");
        assertThat(deadLetters).singleElement().satisfies(d -> assertThat(d.reasonCode()).isEqualTo("TB-FILE-004"));
    }

    @Test
    void anyFailureToTakeAFile_notJustAPayloadError_rejectsItToFailed() throws Exception {
        start();
        Context context = new Context(new ConnectorSettings(Map.of("dir", inbox.toString())));
        FileDropProcessor processor = new FileDropProcessor(context, FileSourceSettings.from(context));
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(camel);
        exchange.getMessage().setHeader(org.apache.camel.Exchange.FILE_NAME_ONLY, "odd.json");
        exchange.getMessage().setHeader(org.apache.camel.Exchange.FILE_LENGTH, 10L);
        exchange.getMessage().setBody(new Object()); // no conversion to bytes: the read itself fails

        processor.process(exchange);

        assertThat(exchange.getMessage().getHeader(FileDropProcessor.TARGET_HEADER)).isEqualTo("failed");
        assertThat(Files.readString(inbox.resolve("failed/odd.json.reason")))
                .startsWith("TB-FILE-004 the file could not be read or parsed (InvalidPayloadException)");
        assertThat(deadLetters).singleElement().satisfies(d -> assertThat(d.reasonCode()).isEqualTo("TB-FILE-004"));
    }

    @Test
    void distinctBadFiles_eachGetTheirOwnDeadLetter_withTheirOwnReasonAndBytes() throws Exception {
        start(Map.of("max-size", "64"));
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            names.add("bad-" + i + ".json");
            Files.writeString(inbox.resolve("bad-" + i + ".json"), i < 5 ? "{ not json " + i : BUNDLE + " ".repeat(i));
        }

        await("seven files in failed/", () -> names.stream().allMatch(n -> Files.exists(inbox.resolve("failed/" + n))));
        assertThat(deadLetters).hasSize(7);
        assertThat(deadLetters).extracting(DeadLetter::origin).containsExactlyInAnyOrderElementsOf(
                names.stream().map(n -> "file:" + n).toList());
        assertThat(deadLetters).filteredOn(d -> d.reasonCode().equals("TB-PAYLOAD-001")).hasSize(5)
                .extracting(d -> new String(d.payload(), StandardCharsets.UTF_8)).doesNotHaveDuplicates();
        assertThat(deadLetters).filteredOn(d -> d.reasonCode().equals("TB-FILE-001")).hasSize(2)
                .allSatisfy(d -> assertThat(d.payload()).isEmpty());
    }

    @Test
    void fileOverMaxSize_goesToFailedUnread() throws Exception {
        start(Map.of("max-size", "64"));
        Files.writeString(inbox.resolve("big.json"), BUNDLE);

        await("the file in failed/", () -> Files.exists(inbox.resolve("failed/big.json")));
        assertThat(Files.readString(inbox.resolve("failed/big.json.reason"))).contains("TB-FILE-001");
    }

    @Test
    void journalDown_leavesTheFileInPlace_thenItIsJournalledOnceWhenTheJournalRecovers() throws Exception {
        try (LogCapture logs = LogCapture.start()) {
            journal.fail("database down while writing Jane Roe");
            start();
            Files.writeString(inbox.resolve("Jane_Roe-visit.json"), BUNDLE);
            await("a refused commit", () -> journal.refused() >= 2);
            assertThat(inbox.resolve("Jane_Roe-visit.json")).exists();
            assertThat(inbox.resolve("done")).doesNotExist();

            journal.recover();
            await("the file in done/", () -> Files.exists(inbox.resolve("done/Jane_Roe-visit.json")));
            assertThat(journal.records()).hasSize(2);
            assertThat(logs.texts()).isNotEmpty().noneMatch(t -> t.contains("Jane") || t.contains("Roe"));
        }
    }

    @Test
    void sameFileDroppedTwice_yieldsTheSameRecordIdentities() throws Exception {
        start();
        Files.writeString(inbox.resolve("visit.json"), BUNDLE);
        await("the first drop", () -> journal.records().size() == 2);
        await("the first move", () -> Files.exists(inbox.resolve("done/visit.json")));
        Files.writeString(inbox.resolve("visit-again.json"), BUNDLE);
        await("the second drop", () -> Files.exists(inbox.resolve("done/visit-again.json")));

        List<CanonicalRecord> all = journal.records();
        assertThat(all).hasSize(4);
        assertThat(all.subList(0, 2)).extracting(CanonicalRecord::sourceId)
                .containsExactlyElementsOf(all.subList(2, 4).stream().map(CanonicalRecord::sourceId).toList());
    }

    @Test
    void fileStillBeingWrittenUnderATemporaryName_isNotPickedUp() throws Exception {
        start();
        Files.writeString(inbox.resolve("upload.json.part"), BUNDLE.substring(0, 40));
        Files.writeString(inbox.resolve(".upload.json"), BUNDLE.substring(0, 40));
        Files.writeString(inbox.resolve("marker.ndjson"), "{\"resourceType\":\"Patient\",\"id\":\"m\"}\n");

        await("the marker", () -> Files.exists(inbox.resolve("done/marker.ndjson")));
        assertThat(inbox.resolve("upload.json.part")).exists();
        assertThat(inbox.resolve(".upload.json")).exists();
        assertThat(deadLetters).isEmpty();
    }

    private void start() throws Exception {
        start(Map.of());
    }

    private void start(Map<String, String> extra) throws Exception {
        Map<String, Object> settings = new java.util.HashMap<>(Map.of("dir", inbox.toString(), "poll", "100ms",
                "settle-time", "100ms"));
        settings.putAll(extra);
        camel.getShutdownStrategy().setTimeout(10);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:journal").errorHandler(noErrorHandler()).process(journal);
                from("direct:dead-letters").errorHandler(noErrorHandler())
                        .process(ex -> deadLetters.add(ex.getMessage().getMandatoryBody(DeadLetter.class)));
            }
        });
        camel.addRoutes(new FileSourceConnector().routes(new Context(new ConnectorSettings(settings))));
        camel.start();
    }

    private static void await(String what, BooleanSupplier condition) {
        org.twinbridge.testkit.Await.until(what, condition::getAsBoolean);
    }

    private record Context(ConnectorSettings settings) implements ConnectorContext {
        @Override
        public String connectorId() {
            return "drop";
        }

        @Override
        public String journalUri() {
            return "direct:journal";
        }

        @Override
        public String deadLetterUri() {
            return "direct:dead-letters";
        }

        @Override
        public String nodeId() {
            return "test-node";
        }

        @Override
        public Checkpoints checkpoints() {
            return new Checkpoints() {
                @Override
                public Optional<String> get(String name) {
                    return Optional.empty();
                }

                @Override
                public void put(String name, String value) {
                    // not used
                }
            };
        }
    }
}
