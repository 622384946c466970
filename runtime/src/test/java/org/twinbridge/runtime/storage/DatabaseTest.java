package org.twinbridge.runtime.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatabaseTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            H2 file                        | jdbc:h2:file:/var/tb/db              | jdbc:h2:file:/var/tb/db;WRITE_DELAY=0
            H2 file with options           | jdbc:h2:/var/tb/db;MODE=Regular      | jdbc:h2:/var/tb/db;MODE=Regular;WRITE_DELAY=0
            operator's own write delay     | jdbc:h2:file:/var/tb/db;write_delay=100 | jdbc:h2:file:/var/tb/db;write_delay=100
            H2 in memory                   | jdbc:h2:mem:tb                       | jdbc:h2:mem:tb
            PostgreSQL                     | jdbc:postgresql://db/tb              | jdbc:postgresql://db/tb
            """)
    void durable_turnsOffH2sWriteDelay_soACommittedTransactionSurvivesAKilledProcess(String name, String url,
            String expected) {
        assertThat(Database.durable(url)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            H2 file                        | jdbc:h2:file:/var/tb/db                 | true  | false
            operator's write delay of 0    | jdbc:h2:file:/var/tb/db;WRITE_DELAY=0   | true  | false
            operator's own write delay     | jdbc:h2:file:/var/tb/db;write_delay=100 | false | false
            H2 in memory                   | jdbc:h2:mem:tb                          | true  | true
            PostgreSQL                     | jdbc:postgresql://db/tb                 | true  | true
            """)
    void crashSafety_holdsUnlessTheOperatorSetsAWriteDelay_andPowerLossSafetyOnlyOffH2(String name, String url,
            boolean crashSafe, boolean powerLossSafe) {
        assertThat(Database.isCrashSafe(url)).isEqualTo(crashSafe);
        assertThat(Database.survivesPowerLoss(url)).isEqualTo(powerLossSafe);
    }
}
