package org.twinbridge.connector.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.twinbridge.connector.hl7v2.internal.Hl7Intake;
import org.twinbridge.sdk.connector.ConnectorMonitor;
import org.twinbridge.connector.hl7v2.internal.SenderAllowList;
import org.twinbridge.connector.hl7v2.internal.mapping.MappingOptions;
import org.twinbridge.connector.hl7v2.internal.mapping.MessageMapper;
import org.twinbridge.connector.hl7v2.internal.mapping.MessageType;
import org.twinbridge.connector.hl7v2.internal.wire.AckWriter;
import org.twinbridge.testkit.SeededMutator;
import org.twinbridge.testkit.SharedData;

/**
 * Mutation fuzzing of the HL7 v2 entry point ({@link Hl7Intake#handle}, what the MLLP route runs for every
 * frame) for a few seconds from a fixed, printed seed. Samples: the copied test messages, the shared corpus when
 * present, with patient names replaced by canaries. Properties for every input: no exception escapes (the
 * documented rejection is an AE or AR acknowledgement), the answer is an acknowledgement, no hang, and no
 * canary in the error text (ERR segments, MSA-3) or in any log line.
 */
class Hl7IntakeFuzzTest {

    /** With spaces, so that no sanitised token (control id, type, version) can carry it. */
    private static final String CANARY_FAMILY = "Zz canary family";
    private static final String CANARY_GIVEN = "Qq canary given";

    @Test
    void mutatedMessages_alwaysGetAnAcknowledgement_neverAnException_andNoPhiInErrors() throws Exception {
        Hl7Intake intake = new Hl7Intake("lab", EnumSet.allOf(MessageType.class), SenderAllowList.anyone(),
                StandardCharsets.UTF_8, new MessageMapper(new MappingOptions("lab", Map.of(), Optional.empty(),
                ZoneOffset.UTC)), new AckWriter(Clock.systemUTC()), ConnectorMonitor.none(), Clock.systemUTC());
        SeededMutator fuzz = new SeededMutator(SeededMutator.seed("hl7v2 intake", 20261129L), corpus());
        Duration budget = SeededMutator.budget(Duration.ofSeconds(4));
        int[] commits = {0};

        try (LogCapture logs = LogCapture.start()) {
            int checked = assertTimeoutPreemptively(budget.plusSeconds(120), () -> fuzz.run(budget, 150, 1500, input -> {
                byte[] answer = intake.handle(input, records -> {
                    // Every 25th commit fails, as a database outage would: that too must be an answer, AR.
                    if (++commits[0] % 25 == 0) {
                        throw new java.sql.SQLException("TB-TEST outage");
                    }
                    return records.size();
                });
                String ack = new String(answer, StandardCharsets.ISO_8859_1);
                assertThat(ack).matches("(?s)(MSH|FHS|BHS).*").contains("MSA|A");
                for (String segment : ack.split("\r")) {
                    if (segment.startsWith("ERR") || segment.startsWith("MSA")) {
                        assertThat(segment).doesNotContain(CANARY_FAMILY).doesNotContain(CANARY_GIVEN)
                                .doesNotContain("canary");
                    }
                }
            }));
            assertThat(checked).isGreaterThanOrEqualTo(150);
            assertThat(logs.texts()).noneMatch(t -> t.contains("canary"));
        }
    }

    private static List<byte[]> corpus() throws IOException, URISyntaxException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> copied = Files.list(Path.of(TestMessages.class.getResource("/hl7v2").toURI()))) {
            copied.filter(f -> f.toString().endsWith(".hl7")).sorted().forEach(files::add);
        }
        Optional<Path> shared = SharedData.find("hl7v2");
        if (shared.isPresent()) {
            try (Stream<Path> all = Files.walk(shared.get())) {
                all.filter(f -> f.toString().endsWith(".hl7")).sorted().forEach(files::add);
            }
        } else {
            System.out.println("fuzz hl7v2: shared corpus not found; fuzzing the copied messages only");
        }
        List<byte[]> samples = new ArrayList<>();
        for (Path file : files) {
            samples.add(withCanaries(Files.readString(file, StandardCharsets.ISO_8859_1))
                    .getBytes(StandardCharsets.ISO_8859_1));
        }
        samples.add(withCanaries(TestMessages.canaryOru("FUZZ-1", "2.5.1")).getBytes(StandardCharsets.UTF_8));
        samples.add(withCanaries(TestMessages.admit("FUZZ-2", "MRN-FUZZ", "Fuzz")).getBytes(StandardCharsets.UTF_8));
        return samples;
    }

    /** Replaces the patient name (PID-5) with the canaries, keeping the message's own delimiters. */
    private static String withCanaries(String message) {
        if (message.length() < 8 || !message.startsWith("MSH") && !message.startsWith("FHS")
                && !message.startsWith("BHS")) {
            return message;
        }
        char field = message.charAt(3);
        char component = message.charAt(4);
        StringBuilder out = new StringBuilder();
        for (String segment : message.split("(?<=\r\n|\r|\n)")) {
            if (segment.startsWith("PID" + field)) {
                String end = segment.replaceAll("[^\r\n]", "");
                String[] fields = segment.substring(0, segment.length() - end.length()).split(
                        java.util.regex.Pattern.quote(String.valueOf(field)), -1);
                if (fields.length > 5) {
                    fields[5] = CANARY_FAMILY + component + CANARY_GIVEN;
                }
                segment = String.join(String.valueOf(field), fields) + end;
            }
            out.append(segment);
        }
        return out.toString();
    }
}
