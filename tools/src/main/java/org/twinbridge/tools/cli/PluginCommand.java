package org.twinbridge.tools.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.Certificates;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.plugin.ConnectorPluginHost;
import org.twinbridge.runtime.plugin.PluginKind;
import org.twinbridge.runtime.plugin.PluginScan;
import org.twinbridge.runtime.plugin.signing.VendorKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code twinbridge plugin}: sign plugin jars (vendors), check and list them (operators). */
@Command(name = "plugin", description = "Sign, verify and list plugins: twin plugins and connector plugins.",
        subcommands = {PluginCommand.Sign.class, PluginCommand.Verify.class, PluginCommand.ListPlugins.class})
final class PluginCommand {

    /** {@code plugin sign}: writes {@code JAR.sig}, a CMS detached signature. */
    @Command(name = "sign", description = "Sign a plugin jar with a vendor key from a PKCS#12 keystore; writes "
            + "JAR.sig (CMS detached signature) next to it. The keystore password comes from an environment "
            + "variable or a file, never the command line.")
    static final class Sign implements Callable<Integer> {

        @Option(names = "--key", paramLabel = "KEYSTORE", required = true, description = "PKCS#12 signing keystore.")
        Path keystore;

        @Option(names = "--alias", paramLabel = "ALIAS", description = "Key entry to use (default: the only one).")
        String alias;

        @Option(names = "--password-env", paramLabel = "VAR", defaultValue = "TWINBRIDGE_SIGNING_PASSWORD",
                description = "Environment variable holding the keystore password (default: ${DEFAULT-VALUE}).")
        String passwordEnv;

        @Option(names = "--password-file", paramLabel = "FILE", description = "File holding the keystore password "
                + "(instead of the environment variable).")
        Path passwordFile;

        @Parameters(paramLabel = "JAR", description = "The plugin jar.")
        Path jar;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(jar)) {
                throw new TwinBridgeCli.BadInputException("TB-SIGN-013 " + jar + " is not a file");
            }
            char[] password = password();
            VendorKey key;
            try {
                key = VendorKey.fromKeystore(keystore, password, Optional.ofNullable(alias));
            } catch (VendorKey.SigningKeyException e) {
                throw new TwinBridgeCli.BadInputException(e.getMessage());
            } finally {
                Arrays.fill(password, '\0');
            }
            Path sig = key.sign(jar);
            System.out.println("Signed " + jar + " -> " + sig);
            System.out.println("Signer: " + Certificates.describe(key.certificate()));
            System.out.println("Give operators your certificate (not the keystore) for their trust store; its SHA-256 "
                    + "fingerprint is " + Certificates.fingerprint(key.certificate()));
            return TwinBridgeCli.OK;
        }

        private char[] password() throws TwinBridgeCli.BadInputException {
            if (passwordFile != null) {
                try {
                    return Files.readString(passwordFile, StandardCharsets.UTF_8).strip().toCharArray();
                } catch (IOException e) {
                    throw new TwinBridgeCli.BadInputException("TB-SIGN-014 cannot read password file " + passwordFile);
                }
            }
            String value = System.getenv(passwordEnv);
            if (value == null || value.isEmpty()) {
                throw new TwinBridgeCli.BadInputException("TB-SIGN-014 environment variable " + passwordEnv
                        + " (the signing keystore password) is not set; or give --password-file FILE");
            }
            return value.toCharArray();
        }
    }

    /** {@code plugin verify}: checks one jar against the node's trust store. */
    @Command(name = "verify", description = "Check a plugin jar's signature against the node's trust store "
            + "(plugins.trust-store). Exits 0 if it would load, 1 if not.")
    static final class Verify implements Callable<Integer> {

        @Mixin
        NodeOptions options;

        @Parameters(paramLabel = "JAR", description = "The plugin jar; its signature is JAR.sig.")
        Path jar;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = options.loadForPluginInspection(ConnectorRegistry.discover());
            if (!Files.isRegularFile(jar)) {
                throw new TwinBridgeCli.BadInputException("TB-SIGN-013 " + jar + " is not a file");
            }
            PluginScan.PluginFile file = PluginScan.check(jar, config.plugins(), Instant.now());
            System.out.println(file.pluginId() + " " + file.version() + " (" + jar.getFileName() + "): "
                    + file.signature().message());
            file.signature().signer().ifPresent(s -> System.out.println("Signer: " + s));
            System.out.println(file.admitted()
                    ? "Would load (plugins.require-signed: " + config.plugins().requireSigned() + ")."
                    : "Would be refused: " + file.refusal().get());
            return file.admitted() && file.signature().valid() ? TwinBridgeCli.OK : TwinBridgeCli.RUNTIME_FAILURE;
        }
    }

    /** {@code plugin list}: every jar in the plugin directory, its signer and status. Loads no plugin code. */
    @Command(name = "list", description = "List the plugin directory: plugin, kind (twin or connector), version, "
            + "signer and whether it loads. Runs no plugin code.")
    static final class ListPlugins implements Callable<Integer> {

        @Mixin
        NodeOptions options;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = options.loadForPluginInspection(ConnectorRegistry.discover());
            List<PluginScan.PluginFile> files = PluginScan.scan(config.plugins(), Instant.now());
            System.out.println("Plugin directory " + config.plugins().dir() + "; require-signed: "
                    + config.plugins().requireSigned() + (config.plugins().requireSignedUnset()
                            ? " (not set; no trust store configured)" : "")
                    + "; trust store: " + config.plugins().trustStore().map(Path::toString).orElse("none"));
            System.out.printf("%-24s %-10s %-14s %-10s %-10s %s%n", "PLUGIN", "KIND", "VERSION", "SIGNATURE",
                    "STATUS", "SIGNER");
            for (PluginScan.PluginFile f : files) {
                System.out.printf("%-24s %-10s %-14s %-10s %-10s %s%n", f.pluginId(), f.kind().label(), f.version(),
                        f.signature().status().name().toLowerCase(java.util.Locale.ROOT),
                        f.admitted() ? "loads" : "refused", f.signature().signer().orElse("-"));
                if (f.kind() == PluginKind.CONNECTOR) {
                    System.out.println("    connector types: " + String.join(", ", f.connectorTypes()));
                }
                f.refusal().ifPresent(r -> System.out.println("    " + r));
                if (f.admitted()) {
                    System.out.println("    runs: " + (f.kind() == PluginKind.CONNECTOR ? ConnectorPluginHost.IN_NODE
                            : org.twinbridge.runtime.plugin.PluginIsolationMode.describe(config.plugins().isolation(),
                                    f.pluginId())));
                }
            }
            System.out.println(files.size() + " plugin jar(s).");
            return TwinBridgeCli.OK;
        }
    }
}
