package org.twinbridge.sdk.internal.host;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.pf4j.ClassLoadingStrategy;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginRepository;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.PluginManifest;

/**
 * The entry point of a plugin process: {@code java -cp <sdk and its libraries> ...PluginProcessMain <plugin.jar>}.
 *
 * <p>Loads the one plugin jar through pf4j (so its {@code Plugin} class starts as it would in a node), finds its
 * single {@link TwinModel}, greets the node with the manifest, then answers batches until the node says
 * shutdown or closes stdin. The protocol owns the process's real stdout: {@code System.out} is redirected to
 * stderr so that a plugin's prints cannot corrupt a frame (a plugin writing to the file descriptor itself only
 * breaks the protocol, and the node then kills it).
 */
public final class PluginProcessMain {

    /** The largest frame the node may send (a batch with its state). */
    static final int MAX_INBOUND_FRAME = 256 << 20;

    private PluginProcessMain() {
    }

    public static void main(String[] args) throws IOException {
        Protocol protocol = Protocol.takeOver();
        OutputStream protocolOut = protocol.out();
        InputStream protocolIn = protocol.in();
        if (args.length != 1) {
            fatal(protocolOut, "TB-PLUGIN-032 usage: PluginProcessMain <plugin.jar>");
            return;
        }
        Optional<Loaded<TwinModel>> loaded = load(Path.of(args[0]), TwinModel.class, TwinModel::manifest, protocolOut);
        if (loaded.isEmpty()) {
            return;
        }
        DefaultPluginManager manager = loaded.get().manager();
        TwinModel model = loaded.get().model();
        PluginManifest manifest = loaded.get().manifest();
        Wire.writeFrame(protocolOut, new Messages.Hello(Wire.VERSION, manifest).encode());
        BatchRunner runner = new BatchRunner(model, manifest.id());
        try {
            while (true) {
                byte[] frame = Wire.readFrame(protocolIn, MAX_INBOUND_FRAME);
                if (Messages.type(frame) == Wire.SHUTDOWN) {
                    break;
                }
                Messages.Result result = runner.run(Messages.Batch.decode(frame));
                Wire.writeFrame(protocolOut, result.encode());
            }
        } catch (EOFException nodeWentAway) {
            // The node closed the pipe: nothing more to do.
        } finally {
            manager.stopPlugins();
        }
        System.exit(0);
    }

    /**
     * The protocol's streams: the process's real stdin and stdout. Taking them over points {@code System.out} at
     * stderr and {@code System.in} at nothing, so a plugin's prints and reads cannot touch a frame.
     */
    record Protocol(InputStream in, OutputStream out) {
        static Protocol takeOver() {
            OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
            InputStream in = new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16);
            System.setOut(System.err);
            System.setIn(new ByteArrayInputStream(new byte[0]));
            return new Protocol(in, out);
        }
    }

    /** A started plugin's single extension of the type asked for. */
    record Loaded<T>(DefaultPluginManager manager, T model, PluginManifest manifest) {
    }

    /**
     * Warms HAPI up, loads the one plugin jar through pf4j and finds its single extension of {@code type}; on
     * failure tells the node (a {@link Messages.Fatal}) and exits.
     */
    static <T> Optional<Loaded<T>> load(Path jar, Class<T> type, Function<T, PluginManifest> manifestOf,
            OutputStream protocolOut) throws IOException {
        // HAPI builds its model of FHIR lazily, which takes seconds: do it now, under the start timeout, rather than
        // in the first batch, under the batch timeout.
        ca.uhn.fhir.parser.IParser json = ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser();
        json.encodeResourceToString(json.parseResource(
                "{\"resourceType\":\"Observation\",\"status\":\"final\",\"valueQuantity\":{\"value\":1}}"));
        DefaultPluginManager manager = new SingleJarPluginManager(jar);
        try {
            manager.loadPlugins();
            manager.startPlugins();
            List<PluginWrapper> plugins = manager.getPlugins();
            if (plugins.size() != 1 || plugins.get(0).getPluginState() != PluginState.STARTED) {
                fatal(protocolOut, "TB-PLUGIN-032 the plugin jar did not load and start under pf4j");
                return Optional.empty();
            }
            String pluginId = plugins.get(0).getPluginId();
            List<T> models = manager.getExtensions(type, pluginId);
            if (models.size() != 1) {
                fatal(protocolOut, "TB-PLUGIN-032 an isolated plugin must hold exactly one " + type.getSimpleName()
                        + " extension; this one holds " + models.size());
                return Optional.empty();
            }
            T model = models.get(0);
            return Optional.of(new Loaded<>(manager, model, manifestOf.apply(model)));
        } catch (RuntimeException | LinkageError e) {
            fatal(protocolOut, "TB-PLUGIN-032 the plugin failed to load (" + e.getClass().getName() + ")");
            return Optional.empty();
        }
    }

    static void fatal(OutputStream out, String reason) throws IOException {
        Wire.writeFrame(out, new Messages.Fatal(reason).encode());
        System.exit(3);
    }

    /** pf4j over exactly one jar, with the SDK's classes always from the application class loader. */
    private static final class SingleJarPluginManager extends DefaultPluginManager {
        private final Path jar;

        SingleJarPluginManager(Path jar) {
            super(jar.toAbsolutePath().getParent());
            this.jar = jar.toAbsolutePath();
        }

        @Override
        protected PluginRepository createPluginRepository() {
            return new PluginRepository() {
                @Override
                public List<Path> getPluginPaths() {
                    return Files.isRegularFile(jar) ? List.of(jar) : List.of();
                }

                @Override
                public boolean deletePluginPath(Path pluginPath) {
                    return false;
                }
            };
        }

        @Override
        protected PluginLoader createPluginLoader() {
            DefaultPluginManager self = this;
            return new PluginLoader() {
                @Override
                public boolean isApplicable(Path pluginPath) {
                    return pluginPath.equals(jar);
                }

                @Override
                public ClassLoader loadPlugin(Path pluginPath, PluginDescriptor descriptor) {
                    PluginClassLoader loader = new PluginClassLoader(self, descriptor,
                            PluginProcessMain.class.getClassLoader(), ClassLoadingStrategy.APD);
                    loader.addFile(pluginPath.toFile());
                    return loader;
                }
            };
        }
    }
}
