package org.twinbridge.tools.demo;

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
 * HL7 v2 message is acknowledged AA, the run ends with every record decided, and all three twins report: the
 * glucose twin from the shipped CGM readings, the tumour twin from the drop folder's assessments.
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
        assertThat(result.deliveries().get("glucose-twin").outputsByKind()).as("forecasts, metrics and the "
                + "predicted hypoglycaemia in the shipped CGM night").containsKeys("OBSERVATION", "ALERT");
        assertThat(result.deliveries().get("tumour-twin").outputsByKind()).containsKey("OBSERVATION");
        assertThat(result.sampleOutputs()).extracting(o -> o.pluginId()).contains("news2-twin", "glucose-twin",
                "tumour-twin");
        assertThat(output).contains("CGM metrics over").contains("Glucose forecast").contains("Tumour forecast");
        assertThat(result.deliveries().get("ward-twin").outputsByKind()).as("census and forecast from the lab's ADT")
                .containsKey("OBSERVATION");
        assertThat(output).contains("census").contains("24-hour bed-demand forecast");
        assertThat(result.deliveries().get("implant-twin").outputsByKind()).as("status and the hub's alerts")
                .containsKeys("OBSERVATION", "ALERT");
        assertThat(output).contains("RV lead impedance rose abruptly");
        assertThat(result.deliveries().get("weight-change-twin").outputsByKind()).as("the vendor template's twin, "
                + "out of process like the others, on the Synthea body weights").containsKey("OBSERVATION");
    }
}
