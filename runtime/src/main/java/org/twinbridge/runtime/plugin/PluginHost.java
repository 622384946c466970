package org.twinbridge.runtime.plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.runtime.dispatch.Subscriber;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.PluginManifest;

/**
 * Loads twin plugins from a directory with pf4j and turns each {@link TwinModel} extension into a
 * {@link Subscriber}. A plugin that fails to start, has no TwinModel, or whose manifest id differs from its
 * jar's {@code Plugin-Id} is refused with a reason and receives nothing.
 */
public final class PluginHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);
    private final PluginManager manager;
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final List<String> refused = new ArrayList<>();

    private PluginHost(PluginManager manager) {
        this.manager = manager;
    }

    /**
     * Loads and starts every plugin in {@code dir}.
     *
     * @param purposes plugin id to purpose of use; a plugin without an entry acts under its manifest's first
     *                 purpose in alphabetical order
     */
    public static PluginHost load(Path dir, Map<String, String> purposes) {
        PluginHost host = new PluginHost(new DefaultPluginManager(dir));
        if (!Files.isDirectory(dir)) {
            LOG.warn("TB-PLUGIN-001 plugin directory {} does not exist; no twin plugins loaded", dir);
            return host;
        }
        host.manager.loadPlugins();
        host.manager.startPlugins();
        for (PluginWrapper plugin : host.manager.getPlugins()) {
            host.admit(plugin, purposes);
        }
        return host;
    }

    private void admit(PluginWrapper plugin, Map<String, String> purposes) {
        String jarId = plugin.getPluginId();
        if (plugin.getPluginState() != PluginState.STARTED) {
            refuse(jarId, "failed to start (" + plugin.getPluginState() + ")");
            return;
        }
        List<TwinModel> models = manager.getExtensions(TwinModel.class, jarId);
        if (models.isEmpty()) {
            refuse(jarId, "contains no TwinModel extension");
            return;
        }
        for (TwinModel model : models) {
            PluginManifest manifest;
            try {
                manifest = model.manifest();
            } catch (RuntimeException e) {
                refuse(jarId, "manifest() threw " + e.getClass().getSimpleName());
                continue;
            }
            if (!manifest.id().equals(jarId)) {
                refuse(jarId, "manifest id '" + manifest.id() + "' differs from the jar's Plugin-Id");
                continue;
            }
            String purpose = purposes.getOrDefault(jarId, manifest.request().purposes().stream().sorted()
                    .findFirst().orElseThrow());
            subscribers.add(new Subscriber(model, manifest, purpose));
            LOG.info("loaded plugin {} {} from {} for purpose {}", manifest.id(), manifest.version(),
                    manifest.vendor(), purpose);
        }
    }

    private void refuse(String pluginId, String reason) {
        String message = "TB-PLUGIN-002 plugin " + pluginId + " refused: " + reason;
        refused.add(message);
        LOG.error(message);
    }

    public List<Subscriber> subscribers() {
        return List.copyOf(subscribers);
    }

    /** Why each refused plugin was refused. */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    @Override
    public void close() {
        manager.stopPlugins();
        manager.unloadPlugins();
    }
}
