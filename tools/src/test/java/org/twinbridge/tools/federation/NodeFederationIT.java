package org.twinbridge.tools.federation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.consent.model.RegisteredConsent;
import org.twinbridge.embedded.trial.TrialSites;
import org.twinbridge.federation.coordinator.Coordinator;
import org.twinbridge.federation.coordinator.FederatedResult;
import org.twinbridge.federation.coordinator.Peer;
import org.twinbridge.federation.coordinator.PooledTable;
import org.twinbridge.federation.coordinator.SiteStatus;
import org.twinbridge.federation.disclosure.Cell;
import org.twinbridge.federation.disclosure.DisclosedTable;
import org.twinbridge.federation.identity.Certificates;
import org.twinbridge.federation.identity.SiteIdentity;
import org.twinbridge.federation.identity.TrustStore;
import org.twinbridge.plugin.tumour.TumourTrialAggregate;
import org.twinbridge.runtime.audit.AuditQuery;
import org.twinbridge.runtime.audit.AuditRecord;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.consent.PatientId;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.node.Node;
import org.twinbridge.runtime.plugin.signing.VendorKey;
import org.twinbridge.sdk.model.AggregateTable;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.testkit.Await;
import org.twinbridge.tools.demo.BundledFiles;

/**
 * Three real nodes ({@code Node.start}, as {@code twinbridge run} starts one) on loopback, each with its own keys,
 * journal, consent registry, policy set, signed tumour twin, site identity and audit chain, each ingesting its own
 * share of the Synthea trial patients through a file-drop connector. A coordinator sends them the tumour twin's
 * in-silico trial over real mutual TLS. Two sites answer over their journals under their own policy and their
 * patients' consents, the aggregate running sandboxed; the third declines by its policy; a patient who withdrew
 * research consent at a site after ingest is not counted there; each release and decline is in that node's audit
 * chain, which still verifies.
 */
class NodeFederationIT {

    private static final String COORDINATOR = "trial-coordinator";
    private static final List<String> SITES = List.of("st-marys", "city-general", "north-infirmary");
    private static final String DECLINING = "north-infirmary";
    private static final String WITHDRAWING = "st-marys";
    private static final String PASSWORD = "node-federation-it-password";

    @TempDir
    Path dir;
    private final Map<String, Node> nodes = new LinkedHashMap<>();

    @AfterEach
    void stop() {
        nodes.values().forEach(Node::close);
    }

    @Test
    void threeNodes_answerTheTrial_overTheirJournals_underTheirPolicyAndConsents_andAuditIt() throws Exception {
        Instant now = Instant.now();
        List<List<TrialSites.TrialPatient>> split = TrialSites.split(SITES.size(), now);
        KeyPair coordinatorKey = Certificates.newKeyPair();
        SiteIdentity coordinator = new SiteIdentity(coordinatorKey.getPrivate(), List.of(Certificates.selfSigned(
                COORDINATOR, coordinatorKey, List.of("localhost"), now.minusSeconds(60), Duration.ofDays(2))));
        Path jar = signedTumourTwin(now);

        List<SiteIdentity> siteIdentities = new ArrayList<>();
        for (int i = 0; i < SITES.size(); i++) {
            String site = SITES.get(i);
            Path home = Files.createDirectories(dir.resolve(site));
            siteIdentities.add(siteIdentity(home, site, coordinator, now));
            Files.createDirectories(home.resolve("plugins"));
            Files.copy(jar, home.resolve("plugins").resolve(jar.getFileName()));
            Files.copy(VendorKey.signatureOf(jar), home.resolve("plugins").resolve(VendorKey.signatureOf(jar)
                    .getFileName()));
            Files.createDirectories(home.resolve("policies"));
            Files.writeString(home.resolve("policies").resolve("research.yaml"),
                    (site.equals(DECLINING) ? DECLINING_POLICY : POLICY).replace("SITE", site));
            nodes.put(site, startNode(home, site));
        }

        // Each site's patients arrive as files dropped for its file connector: Patient, assessments, consent.
        FhirContext fhir = FhirContext.forR4Cached();
        for (int i = 0; i < SITES.size(); i++) {
            Path inbox = Files.createDirectories(dir.resolve(SITES.get(i)).resolve("inbox"));
            for (TrialSites.TrialPatient p : split.get(i)) {
                Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
                p.records().forEach(r -> bundle.addEntry().setResource(r));
                bundle.addEntry().setResource(p.consent());
                Path staged = dir.resolve(p.patient().getIdElement().getIdPart() + ".tmp");
                Files.writeString(staged, fhir.newJsonParser().encodeResourceToString(bundle), StandardCharsets.UTF_8);
                Files.move(staged, inbox.resolve(p.patient().getIdElement().getIdPart() + ".json"));
            }
        }
        for (int i = 0; i < SITES.size(); i++) {
            Path done = dir.resolve(SITES.get(i)).resolve("inbox").resolve("done");
            int expected = split.get(i).size();
            Await.until(SITES.get(i) + " journals its " + expected + " dropped files",
                    () -> filesIn(done) == expected, () -> filesIn(done));
        }

        // A consenting, eligible patient at st-marys withdraws research consent after ingest, through the registry.
        int w = SITES.indexOf(WITHDRAWING);
        List<TrialSites.TrialPatient> withdrawingSite = split.get(w);
        Set<String> eligibleBefore = eligible(withdrawingSite, Set.of());
        TrialSites.TrialPatient withdrawn = withdrawingSite.stream()
                .filter(p -> eligibleBefore.contains(p.patientKey())).findFirst().orElseThrow();
        Node withdrawingNode = nodes.get(WITHDRAWING);
        String key = withdrawingNode.patientResolver().patientKey(new PatientId.Local("drop",
                withdrawn.patient().getIdElement().getIdPart())).orElseThrow();
        List<RegisteredConsent> consents = withdrawingNode.consentAdmin().current(key);
        assertThat(consents).hasSize(1);
        assertThat(withdrawingNode.consentAdmin().withdraw(key, consents.get(0).consentId(), "test:privacy-officer"))
                .isPresent();
        int expectedCohort = eligible(withdrawingSite, Set.of(withdrawn.patientKey())).size();
        assertThat(expectedCohort).as("the withdrawal changes the count").isEqualTo(eligibleBefore.size() - 1);

        List<Peer> peers = new ArrayList<>();
        for (String site : SITES) {
            peers.add(new Peer(site, URI.create("https://127.0.0.1:" + nodes.get(site).federationPort().orElseThrow())));
        }
        Coordinator trial = new Coordinator(new Coordinator.Settings(coordinator, new TrustStore(
                siteIdentities.stream().map(SiteIdentity::certificate).toList(), List.of(), Set.of(),
                Clock.systemUTC()), peers, Duration.ofMinutes(5), Duration.ofMinutes(3), Clock.systemUTC()));

        FederatedResult result = trial.run("tumour-twin", "HRESCH", Map.of());

        Map<String, SiteStatus> status = new LinkedHashMap<>();
        result.sites().forEach(s -> status.put(s.site(), s));
        assertThat(status.get("st-marys")).isInstanceOf(SiteStatus.Ok.class);
        assertThat(status.get("city-general")).isInstanceOf(SiteStatus.Ok.class);
        assertThat(status.get(DECLINING)).isInstanceOfSatisfying(SiteStatus.Declined.class,
                d -> assertThat(d.reason()).startsWith("TB-FED-009"));
        assertThat(result.partial()).isTrue();

        // the withdrawn patient is not counted; the other site counts its own consenting, eligible patients
        DisclosedTable stMarys = ((SiteStatus.Ok) status.get("st-marys")).answer().table().orElseThrow();
        assertThat(stMarys.cohort()).isEqualTo(expectedCohort);
        DisclosedTable cityGeneral = ((SiteStatus.Ok) status.get("city-general")).answer().table().orElseThrow();
        assertThat(cityGeneral.cohort()).isEqualTo(eligible(split.get(SITES.indexOf("city-general")), Set.of()).size());

        System.out.printf("NodeFederationIT: st-marys cohort %d (%d before the withdrawal), city-general %d, pooled %d, "
                + "suppressed cells %d + %d%n", stMarys.cohort(), eligibleBefore.size(), cityGeneral.cohort(),
                result.pooled().cohort(), stMarys.suppressedCells(), cityGeneral.suppressedCells());
        // pooled over the two releasing sites, small cells suppressed and none from 1 to 4 released anywhere
        PooledTable pooled = result.pooled();
        assertThat(pooled.sites()).containsExactlyInAnyOrder("st-marys", "city-general");
        assertThat(pooled.cohort()).isEqualTo(stMarys.cohort() + cityGeneral.cohort());
        assertThat(pooled.cells().stream().flatMap(List::stream).filter(c -> !c.suppressedAt().isEmpty()))
                .as("suppressed cells in the pooled table").isNotEmpty();
        for (DisclosedTable table : List.of(stMarys, cityGeneral)) {
            assertThat(table.suppressedCells()).isPositive();
            table.cells().forEach(row -> row.forEach(c -> {
                if (c instanceof Cell.Released r) {
                    assertThat(r.count() == 0 || r.count() >= 5).as("no count from 1 to 4 leaves").isTrue();
                }
            }));
        }

        // each node's own audit chain holds its decision, with what left and the signed task; the chains verify
        for (String site : List.of("st-marys", "city-general")) {
            SiteStatus.Ok ok = (SiteStatus.Ok) status.get(site);
            List<AuditRecord> releases = nodes.get(site).auditLog().query(kind("federation.release"));
            assertThat(releases).hasSize(1);
            AuditRecord release = releases.get(0);
            assertThat(release.actor()).isEqualTo("site:" + COORDINATOR);
            assertThat(release.details()).containsEntry("release-sha256", ok.answer().releaseHash().orElseThrow())
                    .containsEntry("plugin", "tumour-twin").containsEntry("purpose", "HRESCH")
                    .containsEntry("cohort", Long.toString(site.equals("st-marys") ? expectedCohort
                            : cityGeneral.cohort()))
                    .containsKey("task-cms").containsKey("released");
            assertThat(ok.answer().auditEntry().orElseThrow()).isEqualTo("audit #" + release.position());
        }
        List<AuditRecord> declines = nodes.get(DECLINING).auditLog().query(kind("federation.decline"));
        assertThat(declines).hasSize(1);
        assertThat(declines.get(0).details()).containsEntry("code", "TB-FED-009");
        assertThat(nodes.get(DECLINING).auditLog().query(kind("federation.release"))).isEmpty();
        for (String site : SITES) {
            assertThat(nodes.get(site).auditLog().query(kind("federation.serve"))).hasSize(1);
            assertThat(nodes.get(site).auditLog().verify().intact()).as(site + "'s audit chain verifies").isTrue();
        }
    }

    /**
     * The subjects the trial counts among {@code patients}: those with research consent, not withdrawn, that the
     * trial aggregate finds eligible over their raw assessments (the site sees them date-shifted, which keeps the
     * intervals).
     */
    private static Set<String> eligible(List<TrialSites.TrialPatient> patients, Set<String> withdrawn) {
        List<AuthorisedRecord> views = new ArrayList<>();
        for (TrialSites.TrialPatient p : patients) {
            if (p.optedOut() || withdrawn.contains(p.patientKey())) {
                continue;
            }
            for (Observation o : p.assessments()) {
                views.add(new AuthorisedRecord(p.patientKey(), o, "imaging",
                        Optional.of(o.getEffectiveDateTimeType().getValue().toInstant()), "r", "v"));
            }
        }
        AggregateTable table = new TumourTrialAggregate().aggregate(views, Map.of());
        return Set.copyOf(table.contributors());
    }

    private static AuditQuery kind(String kind) {
        return new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(kind), Optional.empty(), 100);
    }

    private static long filesIn(Path folder) throws java.io.IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    /** The site's key and certificate in its keystore, and the coordinator's certificate pinned in its trust dir. */
    private static SiteIdentity siteIdentity(Path home, String site, SiteIdentity coordinator, Instant now)
            throws Exception {
        KeyPair key = Certificates.newKeyPair();
        SiteIdentity identity = new SiteIdentity(key.getPrivate(), List.of(Certificates.selfSigned(site, key,
                List.of("localhost", "127.0.0.1"), now.minusSeconds(60), Duration.ofDays(2))));
        identity.save(home.resolve("federation").resolve("identity.p12"), PASSWORD.toCharArray());
        Path peers = Files.createDirectories(home.resolve("federation").resolve("trust").resolve("peers"));
        Files.writeString(peers.resolve(COORDINATOR + ".pem"), Certificates.pem(coordinator.certificate()));
        return identity;
    }

    /** The bundled tumour twin jar, signed by a test vendor whose certificate is written to ./vendor-trust. */
    private Path signedTumourTwin(Instant now) throws Exception {
        Path bundled = dir.resolve("bundled-plugins");
        BundledFiles.extract("bundled-plugins", bundled);
        Path jar = bundled.resolve("twinbridge-plugin-tumour.jar");
        assertThat(jar).exists();
        VendorKey vendor = VendorKey.generate("CN=Federation IT vendor,O=TwinBridge tests", now.minusSeconds(300),
                now.plus(Duration.ofDays(1)));
        vendor.sign(jar);
        for (String site : SITES) {
            vendor.writeCertificate(Files.createDirectories(dir.resolve(site).resolve("vendor-trust"))
                    .resolve("vendor.pem"));
        }
        return jar;
    }

    private Node startNode(Path home, String site) throws Exception {
        Files.writeString(home.resolve("keystore-password"), PASSWORD);
        Path config = Files.writeString(home.resolve("twinbridge.yaml"), """
                node:    { id: SITE, data-dir: . }
                keys:    { keystore: ./keys.p12, password-file: ./keystore-password }
                connectors:
                  - { id: drop, type: file, dir: ./inbox, poll: 200ms, settle-time: 100ms }
                plugins:
                  dir: ./plugins
                  trust-store: ./vendor-trust
                  require-signed: true
                  trusted: [tumour-twin]        # the twin plugin in the node's JVM; aggregates are always sandboxed
                policies: { dir: ./policies, purposes: { tumour-twin: HRESCH } }
                consent:  { defaults: { TREAT: permit, HRESCH: deny } }
                federation:
                  identity: { keystore: ./federation/identity.p12, password-file: ./keystore-password }
                  trust-dir: ./federation/trust
                  listen: "127.0.0.1:0"
                """.replace("SITE", site));
        ConnectorRegistry registry = ConnectorRegistry.discover();
        NodeConfig nodeConfig = new ConfigLoader(registry.settingKeys()).load(config);
        NodeKeys keys = NodeKeys.init(nodeConfig.keys().keystore(), nodeConfig.keys().password().reveal(), site,
                Clock.systemUTC());
        Node node = Node.start(nodeConfig, keys, registry, Clock.systemUTC());
        assertThat(node.federationPort()).as(site + " serves federated tasks").isPresent();
        return node;
    }

    /** A site's research policy: the trial coordinator's tumour trial may run; tumour sizes only, with consent. */
    static final String POLICY = """
            policy-set:
              id: SITE-research
              description: SITE's research policy for the federated tumour trial.
            federation:
              disclosure: { min-cell: 5, min-cohort: 5 }
              rules:
                - id: tumour-trial-from-coordinator
                  effect: permit
                  requesters: [trial-coordinator]
                  plugins: [tumour-twin]
                  purposes: [HRESCH]
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

    /** The declining site's officer lets only the regional audit office run tasks here. */
    static final String DECLINING_POLICY = POLICY.replace("requesters: [trial-coordinator]",
            "requesters: [regional-audit-office]");
}
