package org.twinbridge.plugin.news2;

import org.twinbridge.sdk.testing.InMemoryTwinContext;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.OutputKind;

/** Loads the jar Maven packaged, as the runtime will: through pf4j, from a plugins directory. */
class News2PluginJarIT {

    @Test
    void packagedJar_loadsThroughPf4j_andScores(@TempDir Path plugins) throws Exception {
        Path jar = Path.of(System.getProperty("news2.pluginJar"));
        Files.copy(jar, plugins.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        PluginManager manager = new DefaultPluginManager(plugins);
        try {
            manager.loadPlugins();
            manager.startPlugins();

            PluginWrapper plugin = manager.getPlugin(News2Twin.ID);
            assertThat(plugin).as("plugin %s in %s", News2Twin.ID, jar).isNotNull();
            assertThat(plugin.getPluginState()).isEqualTo(PluginState.STARTED);
            assertThat(plugin.getDescriptor().getProvider()).isEqualTo("TwinBridge");

            List<TwinModel> twins = manager.getExtensions(TwinModel.class, News2Twin.ID);
            assertThat(twins).singleElement().satisfies(twin -> {
                // loaded from the jar, not from the test class path
                assertThat(twin.getClass().getClassLoader()).isSameAs(plugin.getPluginClassLoader());
                assertThat(twin.manifest().id()).isEqualTo(plugin.getDescriptor().getPluginId());
                assertThat(twin.manifest().version()).isEqualTo(plugin.getDescriptor().getVersion());
            });

            InMemoryTwinContext context = new InMemoryTwinContext(News2Twin.ID);
            TwinModel twin = twins.get(0);
            Instant at = Instant.parse("2025-03-01T08:00:00Z");
            for (var observation : List.of(Observations.respirationRate("26"), Observations.spo2("98"),
                    Observations.bloodPressure("120", "80"), Observations.pulse("70"),
                    Observations.temperature("37.0"))) {
                twin.onRecord(new AuthorisedRecord("pseudo-1", observation, "vital-signs", Optional.of(at), "r", "p"),
                        context);
            }
            assertThat(context.outputs()).extracting(output -> output.kind())
                    .containsExactly(OutputKind.OBSERVATION, OutputKind.RISK_ASSESSMENT, OutputKind.ALERT);
        } finally {
            manager.stopPlugins();
            manager.unloadPlugins();
        }
    }

    @Test
    void packagedJar_holdsOnlyThePluginsOwnClasses() throws Exception {
        try (JarFile jar = new JarFile(System.getProperty("news2.pluginJar"))) {
            assertThat(jar.getEntry("META-INF/extensions.idx")).isNotNull();
            assertThat(jar.getManifest().getMainAttributes().getValue("Plugin-Id")).isEqualTo(News2Twin.ID);
            assertThat(jar.stream().map(entry -> entry.getName()).filter(name -> name.endsWith(".class")))
                    .allMatch(name -> name.startsWith("org/twinbridge/plugin/news2/"));
        }
    }
}
