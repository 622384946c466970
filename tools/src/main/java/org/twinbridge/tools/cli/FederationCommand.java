package org.twinbridge.tools.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import ca.uhn.fhir.context.FhirContext;
import org.twinbridge.federation.coordinator.Coordinator;
import org.twinbridge.federation.coordinator.FederatedResult;
import org.twinbridge.federation.coordinator.Peer;
import org.twinbridge.federation.coordinator.SiteStatus;
import org.twinbridge.federation.disclosure.CohortMemory;
import org.twinbridge.federation.site.AggregatePlugins;
import org.twinbridge.federation.site.FederatedSite;
import org.twinbridge.federation.site.PatientConsents;
import org.twinbridge.federation.transport.TaskListener;
import org.twinbridge.policy.load.FederatedPolicy;
import org.twinbridge.policy.load.PolicyLoader;
import org.twinbridge.runtime.plugin.process.AggregatePluginJars;
import org.twinbridge.runtime.federation.AuditedReleases;
import org.twinbridge.tools.demo.FederatedResults;
import org.twinbridge.federation.identity.Certificates;
import org.twinbridge.federation.identity.SiteIdentity;
import org.twinbridge.federation.identity.TrustStore;
import org.twinbridge.runtime.audit.AuditEvent;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.node.ConnectorRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code twinbridge federation}: this node's site identity and the peers it trusts. Every change is recorded in the
 * node's audit trail when its storage is available.
 */
@Command(name = "federation", description = "Manage this site's federation identity and trusted peers.",
        subcommands = {FederationCommand.Init.class, FederationCommand.Ca.class, FederationCommand.Trust.class,
            FederationCommand.Revoke.class, FederationCommand.Crl.class, FederationCommand.Peers.class,
            FederationCommand.Submit.class, FederationCommand.Serve.class})
final class FederationCommand {

    static final String CA_PASSWORD_ENV = "TWINBRIDGE_FEDERATION_CA_PASSWORD";

    static NodeConfig.Federation section(NodeConfig config) throws TwinBridgeCli.BadInputException {
        return config.federation().orElseThrow(() -> new TwinBridgeCli.BadInputException("TB-FED-001 "
                + config.source() + " has no federation: section; docs/federation.md shows one"));
    }

    /** The site identity the configuration names; its password is zeroed once read. */
    static SiteIdentity identity(NodeConfig.Federation f) throws TwinBridgeCli.BadInputException,
            org.twinbridge.runtime.config.ConfigException {
        char[] password = f.password().reveal();
        try {
            return SiteIdentity.load(f.keystore(), password);
        } catch (IOException e) {
            throw new TwinBridgeCli.BadInputException(e.getMessage());
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static void audit(NodeConfig config, String kind, Map<String, String> details) {
        try (NodeSession session = NodeSession.withoutKeys(config)) {
            session.services().auditLog().append(new AuditEvent(kind, NodeSession.actor(), "", details));
        } catch (Exception e) {
            System.err.println("note: the change was made, but its " + kind + " audit entry could not be written ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** {@code federation init}: creates the site key and certificate, self-signed or issued by a federation CA. */
    @Command(name = "init", description = "Create this site's key and X.509 certificate (self-signed, or issued by a "
            + "federation CA with --ca), and write the certificate as PEM for peers.")
    static final class Init implements Callable<Integer> {
        @Mixin
        NodeOptions options;

        @Option(names = "--host", paramLabel = "NAME", description = "A host name or address peers reach this site "
                + "by; repeatable (default: localhost and 127.0.0.1).")
        List<String> hosts = new ArrayList<>();

        @Option(names = "--days", defaultValue = "365", description = "Validity in days (default: ${DEFAULT-VALUE}).")
        int days;

        @Option(names = "--ca", paramLabel = "DIR", description = "Have the certificate issued by the federation CA "
                + "in DIR (ca.p12, password from " + CA_PASSWORD_ENV + ").")
        Path ca;

        @Option(names = "--force", description = "Replace an existing identity (peers must trust the new "
                + "certificate).")
        boolean force;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = options.load(ConnectorRegistry.discover());
            NodeConfig.Federation f = section(config);
            if (Files.exists(f.keystore()) && !force) {
                throw new TwinBridgeCli.BadInputException("TB-FED-002 " + f.keystore() + " exists; pass --force to "
                        + "replace the site identity");
            }
            if (days < 1 || days > 3650) {
                throw new TwinBridgeCli.BadInputException("TB-FED-001 --days must be from 1 to 3650");
            }
            List<String> names = hosts.isEmpty() ? List.of("localhost", "127.0.0.1") : hosts;
            KeyPair key = Certificates.newKeyPair();
            Instant from = Instant.now().minus(Duration.ofMinutes(5));
            X509Certificate certificate;
            List<X509Certificate> chain = new ArrayList<>();
            if (ca == null) {
                certificate = Certificates.selfSigned(f.site(), key, names, from, Duration.ofDays(days));
                chain.add(certificate);
            } else {
                SiteIdentity authority = SiteIdentity.load(ca.resolve("ca.p12"), caPassword());
                certificate = Certificates.issued(f.site(), key.getPublic(), names,
                        authority.privateKeyForSigning(), authority.certificate(), from, Duration.ofDays(days));
                chain.add(certificate);
                chain.add(authority.certificate());
            }
            char[] password = f.password().reveal();
            try {
                new SiteIdentity(key.getPrivate(), chain).save(f.keystore(), password);
            } finally {
                Arrays.fill(password, '\0');
            }
            Path pem = f.keystore().resolveSibling(f.site() + ".pem");
            Files.writeString(pem, Certificates.pem(certificate), StandardCharsets.US_ASCII);
            System.out.println("Site " + f.site() + ": identity " + f.keystore());
            System.out.println("Certificate for peers: " + pem);
            System.out.println("Fingerprint (compare it with the peer by phone): " + Certificates.fingerprint(certificate));
            audit(config, "federation.identity", Map.of("site", f.site(),
                    "fingerprint", Certificates.fingerprint(certificate), "issuer", ca == null ? "self" : "ca"));
            return TwinBridgeCli.OK;
        }

        private static char[] caPassword() throws TwinBridgeCli.BadInputException {
            String value = System.getenv(CA_PASSWORD_ENV);
            if (value == null || value.isEmpty()) {
                throw new TwinBridgeCli.BadInputException("TB-FED-002 environment variable " + CA_PASSWORD_ENV
                        + " is not set (federation CA password)");
            }
            return value.toCharArray();
        }
    }

    /** {@code federation ca}: creates a federation CA (run once, by whoever the sites agree holds it). */
    @Command(name = "ca", description = "Create a federation CA in DIR (ca.p12 with its key, ca.pem for sites to "
            + "trust); password from " + CA_PASSWORD_ENV + ".")
    static final class Ca implements Callable<Integer> {
        @Parameters(paramLabel = "DIR")
        Path dir;

        @Option(names = "--name", defaultValue = "twinbridge-federation-ca")
        String name;

        @Option(names = "--days", defaultValue = "1825")
        int days;

        @Override
        public Integer call() throws Exception {
            if (Files.exists(dir.resolve("ca.p12"))) {
                throw new TwinBridgeCli.BadInputException("TB-FED-002 " + dir.resolve("ca.p12") + " exists");
            }
            char[] password = Init.caPassword();
            KeyPair key = Certificates.newKeyPair();
            X509Certificate certificate = Certificates.authority(name, key, Instant.now().minus(Duration.ofMinutes(5)),
                    Duration.ofDays(days));
            new SiteIdentity(key.getPrivate(), List.of(certificate)).save(dir.resolve("ca.p12"), password);
            Files.writeString(dir.resolve("ca.pem"), Certificates.pem(certificate), StandardCharsets.US_ASCII);
            System.out.println("Federation CA " + name + ": " + dir.resolve("ca.p12") + "; sites trust "
                    + dir.resolve("ca.pem") + " with 'federation trust --ca'. Fingerprint "
                    + Certificates.fingerprint(certificate));
            return TwinBridgeCli.OK;
        }
    }

    /** {@code federation trust}: adds a peer's certificate, or a federation CA's. */
    @Command(name = "trust", description = "Trust a peer site's certificate (PEM), or with --ca every site a "
            + "federation CA issues.")
    static final class Trust implements Callable<Integer> {
        @Mixin
        NodeOptions options;

        @Parameters(paramLabel = "CERT.pem")
        Path file;

        @Option(names = "--ca", description = "The file is a federation CA's certificate.")
        boolean authority;

        @Option(names = "--crl", description = "The file is a revocation list issued by a trusted federation CA "
                + "('federation crl'); it replaces that CA's previous list.")
        boolean crl;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = options.load(ConnectorRegistry.discover());
            NodeConfig.Federation f = section(config);
            if (crl) {
                return trustCrl(config, f);
            }
            X509Certificate certificate;
            try {
                certificate = Certificates.readPem(Files.readString(file, StandardCharsets.US_ASCII)).get(0);
            } catch (IOException | CertificateException e) {
                throw new TwinBridgeCli.BadInputException("TB-FED-020 " + file + " is not a PEM X.509 certificate");
            }
            String name = Certificates.commonName(certificate).orElse("");
            if (!Certificates.SITE_NAME.matcher(name).matches()) {
                throw new TwinBridgeCli.BadInputException("TB-FED-020 " + file + " does not name a site (its common "
                        + "name must be a site name)");
            }
            Path target = f.trustDir().resolve(authority ? TrustStore.CAS : TrustStore.PEERS).resolve(name + ".pem");
            Files.createDirectories(target.getParent());
            Files.writeString(target, Certificates.pem(certificate), StandardCharsets.US_ASCII);
            System.out.println("Trusted " + (authority ? "federation CA " : "site ") + name + " ("
                    + Certificates.fingerprint(certificate) + ", valid until " + certificate.getNotAfter().toInstant()
                    + "): " + target);
            audit(config, "federation.trust", Map.of("name", name, "kind", authority ? "ca" : "peer",
                    "fingerprint", Certificates.fingerprint(certificate)));
            return TwinBridgeCli.OK;
        }

        /** Adds a CA's revocation list, only if a CA this site trusts signed it. */
        private int trustCrl(NodeConfig config, NodeConfig.Federation f) throws Exception {
            java.security.cert.X509CRL list;
            try {
                list = org.twinbridge.federation.identity.RevocationLists.read(Files.readAllBytes(file)).get(0);
            } catch (IOException e) {
                throw new TwinBridgeCli.BadInputException(e.getMessage() + ": " + file);
            }
            org.bouncycastle.asn1.x500.RDN[] cn = org.bouncycastle.asn1.x500.X500Name.getInstance(
                    list.getIssuerX500Principal().getEncoded()).getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.CN);
            String name = cn.length == 0 ? "" : org.bouncycastle.asn1.x500.style.IETFUtils.valueToString(
                    cn[0].getFirst().getValue());
            if (!Certificates.SITE_NAME.matcher(name).matches()) {
                throw new TwinBridgeCli.BadInputException("TB-FED-020 " + file + ": its issuer is not a federation CA");
            }
            Path target = f.trustDir().resolve(TrustStore.CRLS).resolve(name + ".pem");
            Files.createDirectories(target.getParent());
            byte[] previous = Files.exists(target) ? Files.readAllBytes(target) : null;
            Files.writeString(target, org.twinbridge.federation.identity.RevocationLists.pem(list),
                    StandardCharsets.US_ASCII);
            try {
                TrustStore.load(f.trustDir(), Clock.systemUTC());
            } catch (IOException e) {
                if (previous == null) {
                    Files.delete(target);
                } else {
                    Files.write(target, previous);
                }
                throw new TwinBridgeCli.BadInputException(e.getMessage());
            }
            int revoked = org.twinbridge.federation.identity.RevocationLists.serials(list).size();
            System.out.println("Revocation list of federation CA " + name + " (" + revoked + " revoked): " + target
                    + "; a running node reads it at its next start.");
            audit(config, "federation.trust", Map.of("name", name, "kind", "crl", "revoked",
                    Integer.toString(revoked)));
            return TwinBridgeCli.OK;
        }
    }

    /** {@code federation crl}: the federation CA's holder revokes site certificates for every site at once. */
    @Command(name = "crl", description = "Issue the federation CA's revocation list DIR/crl.pem, revoking the given "
            + "certificates in addition to those it already lists; each site adds it with 'federation trust --crl'. "
            + "CA password from " + CA_PASSWORD_ENV + ".")
    static final class Crl implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "The federation CA's directory (ca.p12).")
        Path dir;

        @Option(names = "--revoke", paramLabel = "CERT.pem|SERIAL", description = "A site certificate (PEM file) "
                + "or its serial in hex; repeatable.")
        List<String> revoke = new ArrayList<>();

        @Option(names = "--days", defaultValue = "30", description = "Days until the list's next update "
                + "(default: ${DEFAULT-VALUE}); a site keeps applying a stale list.")
        int days;

        @Override
        public Integer call() throws Exception {
            if (days < 1 || days > 3650) {
                throw new TwinBridgeCli.BadInputException("TB-FED-001 --days must be from 1 to 3650");
            }
            SiteIdentity authority = SiteIdentity.load(dir.resolve("ca.p12"), Init.caPassword());
            Path out = dir.resolve("crl.pem");
            java.util.Set<java.math.BigInteger> serials = new java.util.TreeSet<>();
            if (Files.exists(out)) {
                org.twinbridge.federation.identity.RevocationLists.read(Files.readAllBytes(out))
                        .forEach(l -> serials.addAll(org.twinbridge.federation.identity.RevocationLists.serials(l)));
            }
            for (String what : revoke) {
                serials.add(serial(what));
            }
            java.security.cert.X509CRL list = org.twinbridge.federation.identity.RevocationLists.issue(
                    authority.certificate(), authority.privateKeyForSigning(), serials, Instant.now(),
                    Duration.ofDays(days));
            Files.writeString(out, org.twinbridge.federation.identity.RevocationLists.pem(list),
                    StandardCharsets.US_ASCII);
            System.out.println("Revocation list " + out + ": " + serials.size() + " certificate(s) revoked, next "
                    + "update " + list.getNextUpdate().toInstant() + ". Give it to every site: 'federation trust "
                    + "--crl " + out.getFileName() + "'.");
            return TwinBridgeCli.OK;
        }

        private static java.math.BigInteger serial(String what) throws TwinBridgeCli.BadInputException {
            Path file = Path.of(what);
            if (Files.isRegularFile(file)) {
                try {
                    return Certificates.readPem(Files.readString(file, StandardCharsets.US_ASCII)).get(0)
                            .getSerialNumber();
                } catch (IOException | CertificateException e) {
                    throw new TwinBridgeCli.BadInputException("TB-FED-020 " + file + " is not a PEM X.509 "
                            + "certificate");
                }
            }
            String hex = what.startsWith("serial:") ? what.substring(7) : what;
            if (!hex.matches("[0-9a-fA-F]{1,64}")) {
                throw new TwinBridgeCli.BadInputException("TB-FED-020 give a certificate file or a serial in hex, "
                        + "not '" + what + "'");
            }
            return new java.math.BigInteger(hex, 16);
        }
    }

    /** {@code federation revoke}: refuses a certificate from now on, even if pinned or CA-issued. */
    @Command(name = "revoke", description = "Refuse a certificate by fingerprint (sha256:...) or serial "
            + "(serial:<hex>) from now on.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        NodeOptions options;

        @Parameters(paramLabel = "FINGERPRINT")
        String what;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = options.load(ConnectorRegistry.discover());
            NodeConfig.Federation f = section(config);
            if (!what.matches("sha256:[0-9a-f]{64}|serial:[0-9a-f]{1,64}")) {
                throw new TwinBridgeCli.BadInputException("TB-FED-020 give sha256:<64 hex> or serial:<hex>, not '"
                        + what + "'");
            }
            Files.createDirectories(f.trustDir());
            Files.writeString(f.trustDir().resolve(TrustStore.REVOKED), what + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            System.out.println("Revoked " + what + "; a running node reads it at its next start.");
            audit(config, "federation.revoke", Map.of("certificate", what));
            return TwinBridgeCli.OK;
        }
    }

    /** {@code federation peers}: every trusted peer and CA with its state now. */
    @Command(name = "peers", description = "List this site's identity, trusted peers and CAs, and their state.")
    static final class Peers implements Callable<Integer> {
        @Mixin
        NodeOptions options;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = options.load(ConnectorRegistry.discover());
            NodeConfig.Federation f = section(config);
            System.out.println("Site " + f.site() + (f.mayCoordinate() ? " (may coordinate)" : "")
                    + f.listen().map(l -> ", listens on " + l.getHostString() + ":" + l.getPort()).orElse(""));
            TrustStore trust = TrustStore.load(f.trustDir(), Clock.systemUTC());
            System.out.printf("%-5s %-28s %-10s %-22s %s%n", "KIND", "NAME", "STATE", "VALID UNTIL", "FINGERPRINT");
            for (TrustStore.Entry e : trust.entries()) {
                System.out.printf("%-5s %-28s %-10s %-22s %s%n", e.kind(), e.name(), e.state(), e.notAfter(),
                        e.fingerprint());
            }
            if (trust.entries().isEmpty()) {
                System.out.println("(no trusted peers: every peer is refused; add one with 'federation trust')");
            }
            for (NodeConfig.FederationPeer p : f.peers()) {
                boolean known = trust.entries().stream().anyMatch(e -> e.name().equals(p.site()));
                System.out.println("peer " + p.site() + " at " + p.url() + (known ? "" : " (no certificate trusted "
                        + "under this name; it is reachable only through a trusted CA)"));
            }
            return TwinBridgeCli.OK;
        }
    }

    /** {@code federation submit}: this node, as coordinator, sends a signed task to its peers and pools the answers. */
    @Command(name = "submit", description = "Send a federated task to every configured peer over mutual TLS and print "
            + "each site's decision and the pooled, disclosure-controlled result (needs may-coordinate: true).")
    static final class Submit implements Callable<Integer> {
        @Mixin
        NodeOptions options;

        @Option(names = "--plugin", required = true, description = "The aggregate plugin each site runs.")
        String plugin;

        @Option(names = "--purpose", defaultValue = "HRESCH", description = "Purpose of use (default: "
                + "${DEFAULT-VALUE}).")
        String purpose;

        @Option(names = "--param", paramLabel = "NAME=VALUE", description = "A plugin parameter; repeatable.")
        Map<String, String> parameters = new java.util.LinkedHashMap<>();

        @Option(names = "--timeout", defaultValue = "60", description = "Seconds to wait for each site.")
        int timeoutSeconds;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = options.load(ConnectorRegistry.discover());
            NodeConfig.Federation f = section(config);
            if (!f.mayCoordinate()) {
                throw new TwinBridgeCli.BadInputException("TB-FED-019 " + config.source() + ": this node may not "
                        + "coordinate (federation.may-coordinate is false)");
            }
            if (f.peers().isEmpty()) {
                throw new TwinBridgeCli.BadInputException("TB-FED-001 " + config.source() + " names no federation "
                        + "peers");
            }
            SiteIdentity identity = identity(f);
            Coordinator coordinator =
                    new Coordinator(
                            new Coordinator.Settings(identity,
                                    TrustStore.load(f.trustDir(), Clock.systemUTC()), f.peers().stream()
                                            .map(p -> new Peer(p.site(), p.url()))
                                            .toList(), Duration.ofMinutes(5), Duration.ofSeconds(timeoutSeconds),
                                    Clock.systemUTC()));
            FederatedResult result = coordinator.run(plugin, purpose,
                    parameters);
            FederatedResults.print(System.out, result);
            audit(config, "federation.submit", Map.of("task", result.taskId(), "plugin", plugin, "purpose", purpose,
                    "outcome", result.partial() ? "partial" : "complete"));
            return result.sites().stream().anyMatch(s -> s instanceof SiteStatus.Ok)
                    ? TwinBridgeCli.OK : TwinBridgeCli.RUNTIME_FAILURE;
        }
    }

    /**
     * {@code federation serve}: an offline site, answering federated tasks on {@code federation.listen} over mutual
     * TLS over the records in a directory of FHIR files. A node with {@code federation.serve} answers over its own
     * journal and consent registry instead ({@code twinbridge run}).
     */
    @Command(name = "serve", description = "Answer federated tasks on federation.listen (mutual TLS) over the FHIR "
            + "records and consents in DIR, under the node's policy set, consent defaults, signed aggregate plugins "
            + "and audit trail; runs until stopped.")
    static final class Serve implements Callable<Integer> {
        @Mixin
        NodeOptions options;

        @Option(names = "--records", paramLabel = "DIR", required = true,
                description = "FHIR R4 JSON, Bundles and NDJSON: the site's records and its patients' Consents.")
        Path records;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = options.load(ConnectorRegistry.discover());
            NodeConfig.Federation f = section(config);
            java.net.InetSocketAddress listen = f.listen().orElseThrow(() -> new TwinBridgeCli.BadInputException(
                    "TB-FED-001 " + config.source() + ": federation.listen is not set"));
            Path policyDir = config.policies().dir().orElseThrow(() -> new TwinBridgeCli.BadInputException(
                    "TB-FED-001 " + config.source() + ": a site needs policies.dir, whose federation rules decide"));
            Path vendorTrust = config.plugins().trustStore().orElseThrow(() -> new TwinBridgeCli.BadInputException(
                    "TB-FED-001 " + config.source() + ": a site needs plugins.trust-store to verify aggregate plugins"));
            SiteIdentity identity = identity(f);
            FederatedPolicy policies = new PolicyLoader(
                    FhirContext.forR4Cached()).loadFederated(policyDir);
            FileSiteRecords files = FileSiteRecords.read(records);
            AggregatePluginJars.Loaded plugins = AggregatePluginJars.load(config.plugins().dir(),
                            org.twinbridge.runtime.plugin.signing.TrustStore.load(vendorTrust), Instant.now(),
                            config.plugins().isolation());
            plugins.refused().forEach(r -> System.err.println("refused plugin " + r));
            try (NodeSession session = NodeSession.withoutKeys(config)) {
                FederatedSite site = new FederatedSite(
                        new FederatedSite.Settings(identity,
                                TrustStore.load(f.trustDir(), Clock.systemUTC()), () -> policies,
                                org.twinbridge.federation.site.SiteConsents.of(new PatientConsents(
                                        FhirContext.forR4Cached(), files.consents(), config.consent(),
                                        Clock.systemUTC())),
                                files::records, AggregatePlugins.of(plugins.plugins()),
                                new AuditedReleases(session.services().auditLog()),
                                CohortMemory.inFile(
                                        config.node().dataDir().resolve("federation").resolve("released-cohorts.json")),
                                org.twinbridge.runtime.federation.NodeFederation.memoryKey(identity),
                                Clock.systemUTC(), new java.security.SecureRandom()));
                java.net.InetSocketAddress bind = new java.net.InetSocketAddress(listen.getHostString(),
                        listen.getPort());
                try (TaskListener listener = site.listen(bind)) {
                    System.out.println("Site " + f.site() + " answers federated tasks on https://"
                            + listen.getHostString() + ":" + listener.port() + " (mutual TLS); " + files.records().size()
                            + " records, aggregate plugins " + plugins.plugins().keySet() + ". Stop with Ctrl-C.");
                    java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
                    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
                    stop.await();
                }
            }
            return TwinBridgeCli.OK;
        }
    }
}
