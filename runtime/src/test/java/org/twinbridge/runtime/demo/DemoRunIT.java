package org.twinbridge.runtime.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as `twinbridge demo` runs it, with one patient: the EHR and the lab both feed the node, every shipped
 * HL7 v2 message is acknowledged AA, and the run ends with every record decided.
 */
class DemoRunIT {

    @TempDir
    Path dir;

    @Test
    void demo_ingestsTheEhrAndTheLabFeed_andCatchesUp() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        DemoRun.Result result = new DemoRun(new PrintStream(printed, true, StandardCharsets.UTF_8))
                .run(dir, true, 1, Duration.ofSeconds(120));
        String output = printed.toString(StandardCharsets.UTF_8);

        assertThat(result.caughtUp()).as(output).isTrue();
        assertThat(output).contains("Lab: replayed " + DemoLabFeed.messages().size()
                + " HL7 v2 message(s) over MLLP, acknowledged {AA=" + DemoLabFeed.messages().size() + "}");
        assertThat(result.ingested()).containsKeys("ehr", "lab");
        assertThat(result.ingested().get("lab").byType()).containsKeys("Patient", "Observation", "DiagnosticReport",
                "Encounter");
        assertThat(result.deliveries().get("news2-twin").notRequested()).as("lab results are not vital signs")
                .isPositive();
    }
}
