package org.twinbridge.runtime.plugin.isolation;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The parent of every plugin class loader: it shows a plugin the Java platform and the API a plugin may use,
 * and nothing else of the node.
 *
 * <ul>
 *   <li>JDK classes, from the platform class loader;</li>
 *   <li>the TwinBridge SDK ({@code org.twinbridge.sdk}) and the libraries its API names: HAPI FHIR
 *       ({@code ca.uhn.fhir}, {@code org.hl7.fhir}), pf4j ({@code org.pf4j}) and SLF4J ({@code org.slf4j}),
 *       from the application class loader, so plugin and node share one copy of each type they exchange.</li>
 * </ul>
 *
 * Everything else (the runtime's journal, keys and configuration, the database drivers, Camel, BouncyCastle,
 * Jackson) is not found. A plugin that needs another library bundles its own copy. Resources follow the same
 * rule.
 *
 * <p>A connector plugin's loader ({@link #forConnectors}) shares Camel ({@code org.apache.camel}) as well, because a
 * connector's contract is a Camel {@code RoutesBuilder}; it still sees none of the runtime, the drivers or the
 * crypto libraries.
 */
public final class PluginApiClassLoader extends ClassLoader {

    /** Package prefixes shared with plugins. */
    public static final List<String> SHARED_PACKAGES = List.of("org.twinbridge.sdk.", "ca.uhn.fhir.",
            "org.hl7.fhir.", "org.pf4j.", "org.slf4j.");

    /** Package prefixes shared with connector plugins: the twin plugins' ones and Camel. */
    public static final List<String> CONNECTOR_PACKAGES = java.util.stream.Stream.concat(SHARED_PACKAGES.stream(),
            java.util.stream.Stream.of("org.apache.camel.")).toList();

    private final ClassLoader application;
    private final List<String> shared;

    static {
        registerAsParallelCapable();
    }

    /** The twin plugins' parent: {@link #SHARED_PACKAGES}. */
    public PluginApiClassLoader(ClassLoader application) {
        this(application, SHARED_PACKAGES);
    }

    private PluginApiClassLoader(ClassLoader application, List<String> shared) {
        super("twinbridge-plugin-api", ClassLoader.getPlatformClassLoader());
        this.application = application;
        this.shared = List.copyOf(shared);
    }

    /** The connector plugins' parent: {@link #CONNECTOR_PACKAGES}. */
    public static PluginApiClassLoader forConnectors(ClassLoader application) {
        return new PluginApiClassLoader(application, CONNECTOR_PACKAGES);
    }

    /** Whether twin plugins see this class (by binary name). */
    public static boolean shared(String className) {
        return SHARED_PACKAGES.stream().anyMatch(className::startsWith);
    }

    private boolean sharedClass(String className) {
        return shared.stream().anyMatch(className::startsWith);
    }

    private boolean sharedResource(String name) {
        String path = name.startsWith("/") ? name.substring(1) : name;
        return shared.stream().anyMatch(p -> path.startsWith(p.replace('.', '/')));
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        try {
            return getParent().loadClass(name);
        } catch (ClassNotFoundException platformHasNoSuchClass) {
            if (sharedClass(name)) {
                return application.loadClass(name);
            }
            throw new ClassNotFoundException(name + " is not visible to plugins: they see only the JDK, the "
                    + "TwinBridge SDK, HAPI FHIR, pf4j and SLF4J" + (shared.size() > SHARED_PACKAGES.size()
                            ? " (and, for connectors, Camel)" : "") + " (TB-PLUGIN-020)");
        }
    }

    @Override
    public URL getResource(String name) {
        URL platform = getParent().getResource(name);
        if (platform != null) {
            return platform;
        }
        return sharedResource(name) ? application.getResource(name) : null;
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (sharedResource(name)) {
            return application.getResources(name);
        }
        return getParent().getResources(name);
    }

    @Override
    protected URL findResource(String name) {
        return null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        return Collections.emptyEnumeration();
    }

    @Override
    public String toString() {
        return "PluginApiClassLoader" + shared;
    }
}
