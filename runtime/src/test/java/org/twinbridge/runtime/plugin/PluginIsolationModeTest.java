package org.twinbridge.runtime.plugin;

import java.time.Clock;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.plugin.process.IsolatedTwinModel;
import org.twinbridge.runtime.testing.PluginJars;
import org.twinbridge.runtime.testing.LogCapture;
import org.twinbridge.testplugins.RecorderTwin;

/**
 * Where a plugin runs: in a sandboxed process by default; without a sandbox only when the operator allows it,
 * and then loudly; in the node's process only when the operator marks it trusted, and then loudly too.
 */
class PluginIsolationModeTest {

    @TempDir
    Path dir;

    @AfterEach
    void sandboxBack() {
        System.clearProperty("twinbridge.plugin.sandbox");
    }

    private PluginHost load(Set<String> trusted, boolean allowUnsandboxed) throws Exception {
        PluginJars.write(dir.resolve("plugins/recorder.jar"), RecorderTwin.ID, RecorderTwin.class);
        NodeConfig.Plugins config = new NodeConfig.Plugins(dir.resolve("plugins"), false, Optional.empty(), false)
                .withIsolation(new NodeConfig.Isolation(trusted, allowUnsandboxed, 64, 512, Duration.ofSeconds(30),
                        Duration.ofSeconds(90), 1 << 20));
        return PluginHost.load(config, dir.resolve("data/verified-plugins"), Map.of(), Clock.systemUTC());
    }

    @Test
    void byDefault_aPluginRunsInASandboxedProcessOfItsOwn() throws Exception {
        try (PluginHost host = load(Set.of(), false)) {
            assertThat(host.subscribers()).singleElement().satisfies(s ->
                    assertThat(s.model()).isInstanceOf(IsolatedTwinModel.class));
            assertThat(host.isolation().get(RecorderTwin.ID)).startsWith("sandboxed (bubblewrap");
            assertThat(host.processes().get(0).health().sandboxed()).isTrue();
        }
    }

    @Test
    void withoutASandbox_aPluginIsRefused_unlessTheOperatorAllowsIt() throws Exception {
        System.setProperty("twinbridge.plugin.sandbox", "off");
        try (LogCapture logs = LogCapture.start(); PluginHost host = load(Set.of(), false)) {
            assertThat(host.subscribers()).isEmpty();
            assertThat(host.refused()).singleElement().asString().contains("TB-PLUGIN-037")
                    .contains(RecorderTwin.ID).contains("bubblewrap");
            assertThat(PluginIsolationMode.describe(NodeConfig.Isolation.DEFAULT, RecorderTwin.ID))
                    .startsWith("REFUSED at start (TB-PLUGIN-037)");
        }
    }

    @Test
    void withoutASandbox_andAllowed_aPluginRunsUnsandboxed_withAWarning() throws Exception {
        System.setProperty("twinbridge.plugin.sandbox", "off");
        try (LogCapture logs = LogCapture.start(); PluginHost host = load(Set.of(), true)) {
            assertThat(host.subscribers()).singleElement().satisfies(s ->
                    assertThat(s.model()).isInstanceOf(IsolatedTwinModel.class));
            assertThat(host.isolation().get(RecorderTwin.ID)).startsWith("UNSANDBOXED process");
            assertThat(host.processes().get(0).health().sandboxed()).isFalse();
            assertThat(logs.text()).contains("TB-PLUGIN-038").contains(RecorderTwin.ID);
        }
    }

    @Test
    void aTrustedPlugin_runsInTheNodesProcess_andTheNodeSaysSoLoudly() throws Exception {
        try (LogCapture logs = LogCapture.start(); PluginHost host = load(Set.of(RecorderTwin.ID), false)) {
            assertThat(host.subscribers()).singleElement().satisfies(s ->
                    assertThat(s.model()).isNotInstanceOf(IsolatedTwinModel.class));
            assertThat(host.processes()).isEmpty();
            assertThat(host.isolation().get(RecorderTwin.ID)).startsWith("IN-PROCESS, UNISOLATED");
            assertThat(logs.text()).contains("TB-PLUGIN-039").contains("UNISOLATED").contains(RecorderTwin.ID);
            assertThat(PluginIsolationMode.describe(new NodeConfig.Isolation(Set.of(RecorderTwin.ID), false, 64, 512,
                    Duration.ofSeconds(1), Duration.ofSeconds(1), 1 << 20), RecorderTwin.ID))
                    .startsWith("IN-PROCESS, UNISOLATED");
        }
    }
}
