package org.twinbridge.runtime.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.runtime.storage.Database;
import org.twinbridge.runtime.testing.TestDatabases;

/** The gauges keep reading their sources after a garbage collection, though nothing but the registry holds them. */
class NodeMetricsTest {

    @TempDir
    Path dir;

    @Test
    void pluginLagAndReadiness_surviveGarbageCollection_whenOnlyTheRegistryHoldsTheirSources() throws Exception {
        try (Database db = TestDatabases.embedded(dir)) {
            boolean[] up = {true};
            PrometheusMeterRegistry registry = NodeMetrics.create(List.of(), List.of("recorder-twin"),
                    new PluginProgress(db, Clock.systemUTC()), () -> up[0]);

            for (int i = 0; i < 5; i++) {
                System.gc();
                Thread.sleep(20);
            }
            String scrape = registry.scrape();

            assertThat(scrape).contains("twinbridge_plugin_cursor_lag_records{plugin=\"recorder-twin\"} 0.0")
                    .contains("twinbridge_node_ready 1.0").doesNotContain("NaN");
        }
    }
}
