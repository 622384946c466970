package org.twinbridge.runtime.plugin.isolation;

import java.nio.file.Files;
import java.nio.file.Path;
import org.pf4j.ClassLoadingStrategy;
import org.pf4j.DefaultPluginManager;
import org.pf4j.JarPluginRepository;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginRepository;
import org.pf4j.util.FileUtils;

/**
 * pf4j, restricted: loads plugin jars (nothing else) from one directory, each in its own
 * {@link PluginClassLoader} whose parent is a {@link PluginApiClassLoader}. The strategy is application-first:
 * a shared API class always comes from the node (a plugin cannot shadow the SDK or HAPI with its own copy), and
 * every other class comes from the plugin's own jar (or a plugin it depends on), never from the node.
 */
public final class IsolatingPluginManager extends DefaultPluginManager {

    // Set after pf4j's constructor has created the loader, so the loader asks for it only when it loads a jar.
    private PluginApiClassLoader api;

    /** For twin plugins: the parent loader shares {@link PluginApiClassLoader#SHARED_PACKAGES}. */
    public IsolatingPluginManager(Path pluginDir) {
        this(pluginDir, new PluginApiClassLoader(IsolatingPluginManager.class.getClassLoader()));
    }

    /** With the given parent loader, e.g. {@link PluginApiClassLoader#forConnectors} for connector plugins. */
    public IsolatingPluginManager(Path pluginDir, PluginApiClassLoader api) {
        super(pluginDir);
        this.api = api;
    }

    @Override
    protected PluginRepository createPluginRepository() {
        return new JarPluginRepository(getPluginsRoots());
    }

    @Override
    protected PluginLoader createPluginLoader() {
        return new IsolatedJarLoader(this);
    }

    /** Loads one jar in an isolated class loader. */
    private static final class IsolatedJarLoader implements PluginLoader {

        private final IsolatingPluginManager manager;

        IsolatedJarLoader(IsolatingPluginManager manager) {
            this.manager = manager;
        }

        @Override
        public boolean isApplicable(Path pluginPath) {
            return Files.exists(pluginPath) && FileUtils.isJarFile(pluginPath);
        }

        @Override
        public ClassLoader loadPlugin(Path pluginPath, PluginDescriptor descriptor) {
            PluginClassLoader loader = new PluginClassLoader(manager, descriptor, manager.api,
                    ClassLoadingStrategy.APD);
            loader.addFile(pluginPath.toFile());
            return loader;
        }
    }
}
