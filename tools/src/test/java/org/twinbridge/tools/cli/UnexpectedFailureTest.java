package org.twinbridge.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchException;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.twinbridge.tools.load.DeviceFeed;

/** The last-resort error line prints a message only when TwinBridge code wrote it, decided without reading it. */
class UnexpectedFailureTest {

    @Test
    void unexpectedFailure_fromThirdPartyCode_printsTheTypeOnly() {
        Exception thrown = catchException(() -> new ObjectMapper().readTree("{\"name\": Jane-Roe-4711}"));
        assertThat(thrown.getMessage()).as("precondition: the parser quotes the input").contains("Jane");

        assertThat(TwinBridgeCli.unexpectedFailure("run", thrown))
                .isEqualTo("TB-RUN-001 run failed: " + thrown.getClass().getName());
    }

    @Test
    void unexpectedFailure_fromTwinBridgeCode_printsItsCodedMessage() {
        Exception thrown = catchException(() -> new DeviceFeed("tcp://127.0.0.1:1", "t", List.of("d"), "r", 0, null));

        assertThat(TwinBridgeCli.unexpectedFailure("load", thrown))
                .isEqualTo("TB-RUN-001 load failed: java.lang.IllegalArgumentException: " + thrown.getMessage())
                .contains("TB-LOAD-001");
    }

    @Test
    void unexpectedFailure_withoutAStackTrace_printsTheTypeOnly() {
        Exception bare = new RuntimeException("TB-LOAD-001 looks like ours but has no origin", null, false, false) {
        };

        assertThat(TwinBridgeCli.unexpectedFailure("load", bare))
                .isEqualTo("TB-RUN-001 load failed: " + bare.getClass().getName());
    }
}
