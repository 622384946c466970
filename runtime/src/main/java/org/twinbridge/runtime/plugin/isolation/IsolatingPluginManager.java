package org.twinbridge.runtime.plugin.isolation;

import java.nio.file.Files;
import java.nio.file.Path;
import org.pf4j.ClassLoadingStrategy;
import org.pf4j.DefaultPluginManager;
import org.pf4j.JarPluginRepository;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginManager;
import org.pf4j.PluginRepository;
import org.pf4j.util.FileUtils;

/**
 * pf4j, restricted: loads plugin jars (nothing else) from one directory, each in its own
 * {@link PluginClassLoader} whose parent is a {@link PluginApiClassLoader}. The strategy is application-first:
 * a shared API class always comes from the node (a plugin cannot shadow the SDK or HAPI with its own copy), and
 * every other class comes from the plugin's own jar (or a plugin it depends on), never from the node.
 */
public final class IsolatingPluginManager extends DefaultPluginManager {

    public IsolatingPluginManager(Path pluginDir) {
        super(pluginDir);
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

        private final PluginManager manager;
        private final PluginApiClassLoader api = new PluginApiClassLoader(IsolatingPluginManager.class.getClassLoader());

        IsolatedJarLoader(PluginManager manager) {
            this.manager = manager;
        }

        @Override
        public boolean isApplicable(Path pluginPath) {
            return Files.exists(pluginPath) && FileUtils.isJarFile(pluginPath);
        }

        @Override
        public ClassLoader loadPlugin(Path pluginPath, PluginDescriptor descriptor) {
            PluginClassLoader loader = new PluginClassLoader(manager, descriptor, api, ClassLoadingStrategy.APD);
            loader.addFile(pluginPath.toFile());
            return loader;
        }
    }
}
