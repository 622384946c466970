package org.twinbridge.runtime.federation;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.federation.disclosure.CohortMemory;
import org.twinbridge.federation.identity.Certificates;
import org.twinbridge.federation.identity.SiteIdentity;
import org.twinbridge.federation.identity.TrustStore;
import org.twinbridge.federation.site.AggregatePlugins;
import org.twinbridge.federation.site.FederatedSite;
import org.twinbridge.federation.transport.TaskListener;
import org.twinbridge.policy.load.FederatedPolicy;
import org.twinbridge.policy.yaml.LocatedError;
import org.twinbridge.runtime.audit.AuditEvent;
import org.twinbridge.runtime.audit.AuditLog;
import org.twinbridge.runtime.config.ConfigException;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.plugin.process.AggregatePluginJars;

/**
 * A running node as a federated site ({@code federation.serve}): its task endpoint on {@code federation.listen}
 * with mutual TLS, deciding under the node's active policy set (its {@code federation:} rules and thresholds, hot
 * reloaded with the rest), over the records in the node's journal and the consents in its registry
 * ({@link JournalSiteRecords}), running the signed aggregate plugins of {@code plugins.dir} each in its own
 * sandboxed process per task, and writing every decision into the node's audit chain. Built by the node's
 * assembly; the node starts it after its routes and closes it before them.
 */
public final class NodeFederation implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeFederation.class);

    private final FederatedSite site;
    private final InetSocketAddress bind;
    private final List<String> plugins;
    private TaskListener listener;

    private NodeFederation(FederatedSite site, InetSocketAddress bind, List<String> plugins) {
        this.site = site;
        this.bind = bind;
        this.plugins = plugins;
    }

    /**
     * Checks the configuration and builds the site: identity, trust directory, verified aggregate plugins.
     *
     * @param policies the node's active federated policy, read for each task
     * @throws ConfigException TB-FED-001 when serving lacks what a site needs (listen, policies.dir,
     *                         plugins.trust-store), TB-FED-002 when the identity cannot be opened
     */
    public static NodeFederation prepare(NodeConfig config, NodeConfig.Federation f,
            Supplier<Optional<FederatedPolicy>> policies, JournalSiteRecords records, AuditLog audit, Clock clock)
            throws ConfigException, IOException, java.sql.SQLException {
        InetSocketAddress listen = f.listen().orElseThrow(() -> refuse(config, "federation.serve needs "
                + "federation.listen (host:port where the site accepts tasks over mutual TLS)"));
        if (config.policies().dir().isEmpty()) {
            throw refuse(config, "a site needs policies.dir: its federation: rules decide which tasks run, and the "
                    + "plain allow-list (policies.allow) has none");
        }
        Path vendorTrust = config.plugins().trustStore().orElseThrow(() -> refuse(config, "a site needs "
                + "plugins.trust-store to verify the signatures of its aggregate plugins"));
        SiteIdentity identity = identity(config, f);
        org.twinbridge.runtime.plugin.signing.TrustStore vendors;
        try {
            vendors = org.twinbridge.runtime.plugin.signing.TrustStore.load(vendorTrust);
        } catch (org.twinbridge.runtime.plugin.signing.TrustStore.TrustStoreException e) {
            throw refuse(config, "plugins.trust-store: " + e.getMessage());
        }
        AggregatePluginJars.Loaded loaded = AggregatePluginJars.load(config.plugins().dir(), vendors, clock.instant(),
                config.plugins().isolation());
        // Twin-only jars in the same directory are refused as aggregate plugins; that is expected, so say it quietly.
        loaded.refused().forEach(r -> LOG.info("federation: not an aggregate plugin here: {}", r));
        FederatedSite site = new FederatedSite(new FederatedSite.Settings(identity,
                TrustStore.load(f.trustDir(), clock),
                () -> policies.get().orElseThrow(() -> new IllegalStateException(
                        "TB-FED-001 the active policy has no policy set")),
                records, records, AggregatePlugins.of(loaded.plugins()), new AuditedReleases(audit),
                CohortMemory.inFile(config.node().dataDir().resolve("federation").resolve("released-cohorts.json")),
                memoryKey(identity), clock, new SecureRandom()));
        NodeFederation federation = new NodeFederation(site, new InetSocketAddress(listen.getHostString(),
                listen.getPort()), List.copyOf(loaded.plugins().keySet()));
        audit.append(new AuditEvent("federation.serve", "node", "", Map.of("site", f.site(),
                "listen", listen.getHostString() + ":" + listen.getPort(),
                "fingerprint", Certificates.fingerprint(identity.certificate()),
                "aggregate-plugins", String.join(",", federation.plugins))));
        return federation;
    }

    /** Starts accepting tasks; returns the port (useful when listen names port 0). */
    public synchronized int start() throws IOException {
        try {
            listener = site.listen(bind);
        } catch (GeneralSecurityException e) {
            throw new IOException("TB-FED-002 the site identity cannot serve TLS (" + e.getClass().getSimpleName()
                    + ")", e);
        }
        LOG.info("federation: site {} answers tasks on https://{}:{} (mutual TLS), aggregate plugins {}",
                site.site(), bind.getHostString(), listener.port(), plugins);
        return listener.port();
    }

    public String site() {
        return site.site();
    }

    /** The aggregate plugins admitted (signature verified, process started once). */
    public List<String> plugins() {
        return plugins;
    }

    @Override
    public synchronized void close() {
        if (listener != null) {
            listener.close();
            listener = null;
        }
    }

    /** Keys the cohort memory's subject tokens: stable with the site identity, so a restart still remembers. */
    public static byte[] memoryKey(SiteIdentity identity) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("twinbridge federation cohort memory".getBytes(StandardCharsets.UTF_8));
            sha.update(identity.privateKeyForSigning().getEncoded());
            return sha.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static SiteIdentity identity(NodeConfig config, NodeConfig.Federation f) throws ConfigException {
        char[] password = f.password().reveal();
        try {
            return SiteIdentity.load(f.keystore(), password);
        } catch (IOException e) {
            throw new ConfigException(new LocatedError(config.source(), 0, 0, "TB-FED-002", String.valueOf(
                    e.getMessage()).replaceFirst("^TB-FED-002 ", "")));
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static ConfigException refuse(NodeConfig config, String message) {
        return new ConfigException(new LocatedError(config.source(), 0, 0, "TB-FED-001", message));
    }
}
