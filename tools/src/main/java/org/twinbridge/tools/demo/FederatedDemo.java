package org.twinbridge.tools.demo;

import ca.uhn.fhir.context.FhirContext;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.twinbridge.consent.model.ConsentDefaults;
import org.twinbridge.consent.model.ConsentSettings;
import org.twinbridge.consent.model.RegisteredConsent;
import org.twinbridge.embedded.trial.TrialSites;
import org.twinbridge.federation.coordinator.Coordinator;
import org.twinbridge.federation.coordinator.FederatedResult;
import org.twinbridge.federation.coordinator.Peer;
import org.twinbridge.federation.coordinator.PooledTable;
import org.twinbridge.federation.coordinator.SiteStatus;
import org.twinbridge.federation.disclosure.CohortMemory;
import org.twinbridge.federation.identity.Certificates;
import org.twinbridge.federation.identity.SiteIdentity;
import org.twinbridge.federation.identity.TrustStore;
import org.twinbridge.federation.site.AggregatePlugins;
import org.twinbridge.federation.site.FederatedSite;
import org.twinbridge.federation.site.PatientConsents;
import org.twinbridge.federation.site.SiteRecord;
import org.twinbridge.federation.transport.TaskListener;
import org.twinbridge.policy.load.PolicyLoader;
import org.twinbridge.policy.load.FederatedPolicy;
import org.twinbridge.runtime.assembly.NodeAssembly;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.plugin.signing.VendorKey;
import org.twinbridge.runtime.storage.Database;
import org.twinbridge.runtime.plugin.process.IsolatedAggregateModel;
import org.twinbridge.runtime.plugin.process.AggregatePluginJars;
import org.twinbridge.runtime.federation.AuditedReleases;
import org.twinbridge.sdk.AggregateTwinModel;

/**
 * {@code twinbridge demo --federated}: three sites and a trial coordinator on loopback, each with its own site
 * certificate, trust directory, policy set, synthetic patients and hash-chained audit trail, talking mutual TLS.
 * Runs the tumour twin's in-silico trial, then a near-duplicate query (which the cohort memory may refuse) and a
 * task the sites' policy does not allow, and prints each site's decision, the pooled table and where each site's
 * audit trail recorded what left.
 */
public final class FederatedDemo {

    static final String COORDINATOR = "trial-coordinator";
    static final List<String> SITES = List.of("st-marys", "city-general", "north-infirmary");
    private final PrintStream out;

    public FederatedDemo(PrintStream out) {
        this.out = out;
    }

    /** Runs the demo in {@code dir}; true if all three sites released the trial's table. */
    public boolean run(Path dir) throws Exception {
        Instant now = Instant.now();
        out.println("Federated in-silico trial: three sites and a coordinator on loopback, mutual TLS (TLS 1.3, "
                + "site certificates made with BouncyCastle), CMS-signed tasks and answers.");
        Map<String, SiteIdentity> identities = new LinkedHashMap<>();
        for (String name : concat(COORDINATOR, SITES)) {
            KeyPair key = Certificates.newKeyPair();
            SiteIdentity identity = new SiteIdentity(key.getPrivate(), List.of(Certificates.selfSigned(name, key,
                    List.of("localhost", "127.0.0.1"), now.minus(Duration.ofMinutes(5)), Duration.ofDays(7))));
            identities.put(name, identity);
            Path fed = Files.createDirectories(dir.resolve(name).resolve("federation"));
            Files.writeString(fed.resolve(name + ".pem"), Certificates.pem(identity.certificate()),
                    StandardCharsets.US_ASCII);
        }
        // Trust, as 'federation trust' writes it: sites pin the coordinator, the coordinator pins each site.
        for (String site : SITES) {
            pin(dir, site, COORDINATOR, identities);
            pin(dir, COORDINATOR, site, identities);
        }
        AggregateTwinModel tumour = loadSignedTrialPlugin(dir.resolve("plugins"), now);
        List<List<TrialSites.TrialPatient>> split = TrialSites.split(SITES.size(), now);
        List<TaskListener> listeners = new ArrayList<>();
        List<Database> databases = new ArrayList<>();
        Map<String, Path> auditDbs = new HashMap<>();
        try {
            List<Peer> peers = new ArrayList<>();
            for (int i = 0; i < SITES.size(); i++) {
                String name = SITES.get(i);
                Path siteDir = dir.resolve(name);
                NodeConfig config = siteConfig(siteDir, name);
                Database db = NodeAssembly.openDatabase(config.storage());
                databases.add(db);
                auditDbs.put(name, siteDir.resolve("twinbridge.yaml"));
                FederatedSite site = site(name, siteDir, identities.get(name), split.get(i), tumour,
                        new AuditedReleases(NodeAssembly.withoutKeys(config, db, Clock.systemUTC()).auditLog()));
                TaskListener listener = site.listen(new InetSocketAddress("127.0.0.1", 0));
                listeners.add(listener);
                peers.add(new Peer(name, URI.create("https://127.0.0.1:" + listener.port())));
                long eligible = split.get(i).stream().filter(p -> p.assessments().size() >= 2 && !p.optedOut()).count();
                out.printf("  site %-16s https://127.0.0.1:%-5d %2d patients (%d opted out of research), "
                        + "%d with two or more tumour assessments and consent%n", name, listener.port(),
                        split.get(i).size(), split.get(i).stream().filter(TrialSites.TrialPatient::optedOut).count(),
                        eligible);
            }
            Coordinator coordinator = new Coordinator(new Coordinator.Settings(identities.get(COORDINATOR),
                    TrustStore.load(dir.resolve(COORDINATOR).resolve("federation").resolve("trust"),
                            Clock.systemUTC()), peers, Duration.ofMinutes(5), Duration.ofSeconds(60),
                    Clock.systemUTC()));
            out.println();
            out.println("1. The trial: tumour-twin, purpose HRESCH, every regimen projected over each site's cohort.");
            FederatedResult trial = coordinator.run("tumour-twin", "HRESCH", Map.of());
            print(trial);
            out.println();
            out.println("2. The same trial over patients with three or more assessments: a cohort that differs from "
                    + "the first by fewer than min-cell patients would let the two answers be subtracted.");
            print(coordinator.run("tumour-twin", "HRESCH", Map.of("min-assessments", "3")));
            out.println();
            out.println("3. The same plugin for purpose TREAT: no site's federation rules allow it.");
            print(coordinator.run("tumour-twin", "TREAT", Map.of()));
            out.println();
            out.println("Each site's audit trail holds every decision (kind federation.*), the signed task and, for a "
                    + "release, the table that left and its SHA-256. Read one with:");
            out.println("  twinbridge audit query -c " + auditDbs.get(SITES.get(0)));
            return trial.sites().stream().allMatch(s -> s instanceof SiteStatus.Ok);
        } finally {
            listeners.forEach(TaskListener::close);
            databases.forEach(Database::close);
        }
    }

    private void print(FederatedResult result) {
        FederatedResults.print(out, result);
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static void pin(Path dir, String at, String peer, Map<String, SiteIdentity> identities)
            throws java.io.IOException {
        Path peers = Files.createDirectories(dir.resolve(at).resolve("federation").resolve("trust")
                .resolve(TrustStore.PEERS));
        Files.writeString(peers.resolve(peer + ".pem"), Certificates.pem(identities.get(peer).certificate()),
                StandardCharsets.US_ASCII);
    }

    private static NodeConfig siteConfig(Path siteDir, String name) throws Exception {
        Path file = siteDir.resolve("twinbridge.yaml");
        Files.writeString(file, """
                node: { id: %s, data-dir: ./data }
                policies: { dir: ./policies }
                federation:
                  identity: { keystore: ./federation/identity.p12, password-env: TWINBRIDGE_FEDERATION_PASSWORD }
                  trust-dir: ./federation/trust
                """.formatted(name), StandardCharsets.UTF_8);
        return new ConfigLoader(ConnectorRegistry.discover().settingKeys()).load(file);
    }

    private static FederatedSite site(String name, Path siteDir, SiteIdentity identity,
            List<TrialSites.TrialPatient> patients, AggregateTwinModel tumour, AuditedReleases audit)
            throws Exception {
        Path policies = Files.createDirectories(siteDir.resolve("policies"));
        Files.writeString(policies.resolve("policy.yaml"), POLICY.replace("SITE", name), StandardCharsets.UTF_8);
        FederatedPolicy set = new PolicyLoader(FhirContext.forR4Cached()).loadFederated(policies);
        List<SiteRecord> records = new ArrayList<>();
        Map<String, List<RegisteredConsent>> consents = new HashMap<>();
        for (TrialSites.TrialPatient p : patients) {
            p.records().forEach(r -> records.add(new SiteRecord(p.patientKey(), r, Set.of())));
            consents.put("Patient/" + p.patient().getIdElement().getIdPart(), List.of(new RegisteredConsent("file",
                    "Consent/" + p.consent().getIdElement().getIdPart(), 1, p.consent())));
        }
        byte[] memoryKey = new byte[32];
        new SecureRandom().nextBytes(memoryKey);
        return new FederatedSite(new FederatedSite.Settings(identity,
                TrustStore.load(siteDir.resolve("federation").resolve("trust"), Clock.systemUTC()), () -> set,
                org.twinbridge.federation.site.SiteConsents.of(new PatientConsents(FhirContext.forR4Cached(),
                        consents, new ConsentSettings(ConsentDefaults.denyAll(), Map.of(), Map.of()),
                        Clock.systemUTC())),
                () -> records, AggregatePlugins.of(Map.of("tumour-twin", tumour)), audit,
                CohortMemory.inFile(siteDir.resolve("federation").resolve("released-cohorts.json")), memoryKey,
                Clock.systemUTC(), new SecureRandom()));
    }

    /**
     * The bundled tumour twin jar, signed with a demo vendor key and verified as a node verifies plugins. Its trial
     * aggregate runs in a sandboxed process of its own for each task, as a site runs aggregate plugins.
     */
    private AggregateTwinModel loadSignedTrialPlugin(Path pluginDir, Instant now) throws Exception {
        Path all = pluginDir.resolveSibling("bundled-plugins");
        List<String> names = BundledFiles.extract("bundled-plugins", all);
        String jarName = names.stream().filter(n -> n.startsWith("twinbridge-plugin-tumour") && n.endsWith(".jar"))
                .findFirst().orElseThrow(() -> new IllegalStateException("TB-DEMO-004 the tumour twin jar is not "
                        + "bundled"));
        Files.createDirectories(pluginDir);
        Path jar = Files.copy(all.resolve(jarName), pluginDir.resolve(jarName));
        VendorKey vendor = VendorKey.generate("CN=TwinBridge demo vendor,O=TwinBridge demo",
                now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1)));
        vendor.sign(jar);
        Path trust = Files.createDirectories(pluginDir.resolveSibling("plugin-trust"));
        vendor.writeCertificate(trust.resolve("demo-vendor.pem"));
        AggregatePluginJars.Loaded loaded = AggregatePluginJars.load(pluginDir,
                org.twinbridge.runtime.plugin.signing.TrustStore.load(trust), now,
                org.twinbridge.runtime.config.NodeConfig.Isolation.DEFAULT);
        AggregateTwinModel model = loaded.plugins().get("tumour-twin");
        if (model == null) {
            throw new IllegalStateException("TB-FED-010 the tumour twin did not load: " + loaded.refused());
        }
        List<AggregateTwinModel> models = List.of(model);
        out.println("Plugin tumour-twin " + models.get(0).manifest().version() + ": signature verified (demo vendor), "
                + "runs in its own process per task, " + ((IsolatedAggregateModel) model).sandbox() + ".");
        return models.get(0);
    }

    static final String POLICY = """
            policy-set:
              id: SITE-research
              description: SITE's research policy set for the federated tumour trial.
            # What a federated task may do here, decided by this site's privacy officer (default deny).
            federation:
              disclosure: { min-cell: 5, min-cohort: 8, max-categories: 40, noise: 0.05 }
              rules:
                - id: tumour-trial-from-coordinator
                  effect: permit
                  requesters: [trial-coordinator]
                  plugins: [tumour-twin]
                  purposes: [HRESCH]
            # Which records the plugin may see for that task, and how: tumour sizes only, with consent.
            rules:
              - id: trial-tumour-sizes
                effect: permit
                recipients: [tumour-twin]
                purposes: [HRESCH]
                resource-types: [Observation]
                consent: required
                condition: >-
                  Observation.code.coding.where(system = 'http://loinc.org' and code = '21889-1').exists()
                project:
                  Observation: [status, code, subject, "effective[x]", "value[x]", bodySite]
            """;
}
