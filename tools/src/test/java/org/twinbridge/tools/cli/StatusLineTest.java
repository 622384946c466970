package org.twinbridge.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.twinbridge.runtime.observe.ConnectorHealth;
import org.twinbridge.runtime.observe.ConnectorState;

/** The connector part of {@code run}'s status line. */
class StatusLineTest {

    @Test
    void healthyConnector_showsStateCountersAndLag() {
        ConnectorHealth ehr = new ConnectorHealth("ehr", "fhir", ConnectorState.UP, null, null, 120, 118, 0,
                Duration.ofMillis(1250), Instant.EPOCH);

        assertThat(StatusLine.connector(ehr)).isEqualTo("ehr UP received 120 journalled 118 failed 0 lag 1.3s");
    }

    @Test
    void troubledConnector_namesItsLastErrorKind_andAnUnknownLagIsADash() {
        ConnectorHealth lab = new ConnectorHealth("lab", "hl7v2", ConnectorState.DEGRADED, "TB-HL7-011",
                Instant.EPOCH, 4, 9, 1, null, null);

        assertThat(StatusLine.connector(lab)).isEqualTo("lab DEGRADED (TB-HL7-011) received 4 journalled 9 failed 1 lag -");
    }

    @Test
    void recoveredConnector_doesNotRepeatAnOldError() {
        ConnectorHealth drop = new ConnectorHealth("drop", "file", ConnectorState.UP, "TB-FILE-002", Instant.EPOCH, 3,
                2, 1, Duration.ZERO, null);

        assertThat(StatusLine.connector(drop)).isEqualTo("drop UP received 3 journalled 2 failed 1 lag 0.0s");
    }
}
