package com.example.connector.csvlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.sdk.connector.Checkpoints;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.connector.ConnectorSettings;
import org.twinbridge.sdk.connector.DeadLetter;
import org.twinbridge.sdk.model.CanonicalRecord;
import org.twinbridge.testkit.Await;
import org.twinbridge.testkit.RecordingJournal;

/**
 * The connector's route on a real directory in a real Camel context, with the node's journal and dead-letter
 * endpoints stood in. (Loaded as a signed plugin in a whole node: tools' CsvLabConnectorPluginIT.)
 */
class CsvLabConnectorTest {

    @TempDir
    Path share;
    private final RecordingJournal journal = new RecordingJournal();
    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    private final DefaultCamelContext camel = new DefaultCamelContext();

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void aCsvFile_isJournalledThenMovedToDone() throws Exception {
        start(Map.of());
        Files.writeString(share.resolve("results-0001.csv"), """
                result_id,patient_id,loinc,value,unit,effective
                R-1,MRN-1,2345-7,5.4,mmol/L,2026-12-01T08:15:00Z
                R-2,MRN-2,2345-7,7.9,mmol/L,2026-12-01T08:20:00Z
                """);

        Await.until("the file in done/", () -> Files.exists(share.resolve("done/results-0001.csv")));
        assertThat(journal.records()).extracting(CanonicalRecord::sourceId)
                .containsExactly("Observation/R-1", "Observation/R-2");
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void aBadFile_goesToFailed_withAReasonAndADeadLetter_thatHoldNoValue() throws Exception {
        start(Map.of());
        Files.writeString(share.resolve("Roe_Jane.csv"), "patient_id,loinc,value,unit,effective\n"
                + "MRN-9,2345-7,5.4,mmol/L,last tuesday\n");

        Await.until("the file in failed/", () -> Files.exists(share.resolve("failed/Roe_Jane.csv")));
        assertThat(Files.readString(share.resolve("failed/Roe_Jane.csv.reason")))
                .startsWith("TB-CSVLAB-003 row 2, column 'effective'").doesNotContain("tuesday").doesNotContain("MRN");
        assertThat(deadLetters).singleElement().satisfies(d -> {
            assertThat(d.reasonCode()).isEqualTo("TB-CSVLAB-003");
            assertThat(d.reason()).doesNotContain("MRN-9");
        });
        assertThat(journal.records()).isEmpty();
    }

    @Test
    void whenTheJournalFails_theFileStaysInPlace_andIsJournalledOnceItRecovers() throws Exception {
        journal.fail("storage down");
        start(Map.of());
        Files.writeString(share.resolve("results-0002.csv"), "patient_id,loinc,value,unit,effective\n"
                + "MRN-1,2345-7,5.4,mmol/L,2026-12-01\n");

        Await.until("a refused commit", () -> journal.refused() > 0);
        assertThat(share.resolve("results-0002.csv")).exists();
        journal.recover();
        Await.until("the file in done/", () -> Files.exists(share.resolve("done/results-0002.csv")));
        assertThat(journal.records()).hasSize(1);
    }

    @Test
    void aMissingPatientSystem_isAConfigurationError_namingTheKey() {
        Map<String, Object> settings = new HashMap<>(Map.of("dir", share.toString()));
        assertThatThrownBy(() -> new CsvLabConnector().routes(context(settings)))
                .isInstanceOfSatisfying(ConnectorConfigException.class, e -> assertThat(e.key())
                        .isEqualTo("patient-system"));
    }

    private void start(Map<String, String> extra) throws Exception {
        Map<String, Object> settings = new HashMap<>(Map.of("dir", share.toString(), "poll", "100ms",
                "settle-time", "100ms", "patient-system", "http://hospital.example.org/mrn"));
        settings.putAll(extra);
        camel.addRoutes(new CsvLabConnector().routes(context(settings)));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:journal").errorHandler(noErrorHandler()).process(journal);
                from("direct:dead-letters").errorHandler(noErrorHandler())
                        .process(ex -> deadLetters.add(ex.getMessage().getMandatoryBody(DeadLetter.class)));
            }
        });
        camel.start();
    }

    private static ConnectorContext context(Map<String, Object> settings) {
        return new ConnectorContext() {
            @Override
            public String connectorId() {
                return "lab";
            }

            @Override
            public String nodeId() {
                return "test-node";
            }

            @Override
            public ConnectorSettings settings() {
                return new ConnectorSettings(settings);
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
            public Checkpoints checkpoints() {
                return new Checkpoints() {
                    @Override
                    public Optional<String> get(String name) {
                        return Optional.empty();
                    }

                    @Override
                    public void put(String name, String value) {
                    }
                };
            }
        };
    }
}
