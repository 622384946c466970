package org.twinbridge.federation.it;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.twinbridge.consent.model.ConsentDefaults;
import org.twinbridge.consent.model.ConsentSettings;
import org.twinbridge.consent.model.RegisteredConsent;
import org.twinbridge.embedded.trial.TrialSites;
import org.twinbridge.federation.coordinator.Coordinator;
import org.twinbridge.federation.coordinator.Peer;
import org.twinbridge.federation.disclosure.CohortMemory;
import org.twinbridge.federation.identity.Certificates;
import org.twinbridge.federation.identity.SiteIdentity;
import org.twinbridge.federation.identity.TrustStore;
import org.twinbridge.federation.site.AggregatePlugins;
import org.twinbridge.federation.site.FederatedSite;
import org.twinbridge.federation.site.PatientConsents;
import org.twinbridge.federation.site.SiteConsents;
import org.twinbridge.federation.site.SiteRecord;
import org.twinbridge.federation.transport.TaskListener;
import org.twinbridge.plugin.tumour.TumourTrialAggregate;
import org.twinbridge.policy.load.PolicyLoader;
import org.twinbridge.policy.load.FederatedPolicy;
import org.twinbridge.sdk.AggregateTwinModel;

/** Three sites and a coordinator on loopback, each with its own identity, trust, policy, records and audit. */
final class LoopbackFederation implements AutoCloseable {

    static final String COORDINATOR = "trial-coordinator";
    static final List<String> SITES = List.of("st-marys", "city-general", "north-infirmary");

    final Path dir;
    final Map<String, SiteIdentity> identities = new LinkedHashMap<>();
    final Map<String, MemoryAudit> audits = new HashMap<>();
    final Map<String, TaskListener> listeners = new LinkedHashMap<>();
    final Map<String, FederatedSite> sites = new HashMap<>();
    final Map<String, AggregateTwinModel> extraPlugins = new HashMap<>();

    LoopbackFederation(Path dir) {
        this.dir = dir;
        identities.put(COORDINATOR, identity(COORDINATOR, Instant.now().minusSeconds(60), Duration.ofDays(30)));
        SITES.forEach(s -> identities.put(s, identity(s, Instant.now().minusSeconds(60), Duration.ofDays(30))));
    }

    static SiteIdentity identity(String name, Instant from, Duration validity) {
        KeyPair key = Certificates.newKeyPair();
        return new SiteIdentity(key.getPrivate(), List.of(Certificates.selfSigned(name, key,
                List.of("localhost", "127.0.0.1"), from, validity)));
    }

    /** Each site trusts the coordinator and the coordinator trusts each site (pinned certificates). */
    TrustStore siteTrust(Set<String> revoked, X509Certificate... extra) {
        List<X509Certificate> pinned = new ArrayList<>(List.of(identities.get(COORDINATOR).certificate()));
        pinned.addAll(List.of(extra));
        return new TrustStore(pinned, List.of(), revoked, Clock.systemUTC());
    }

    TrustStore coordinatorTrust() {
        return new TrustStore(SITES.stream().map(s -> identities.get(s).certificate()).toList(), List.of(), Set.of(),
                Clock.systemUTC());
    }

    void startSites(String policyYaml, TrustStore trust) throws Exception {
        List<List<TrialSites.TrialPatient>> split = TrialSites.split(SITES.size(), Instant.now());
        for (int i = 0; i < SITES.size(); i++) {
            String name = SITES.get(i);
            startSite(name, split.get(i), policyYaml, trust);
        }
    }

    void startSite(String name, List<TrialSites.TrialPatient> patients, String policyYaml, TrustStore trust)
            throws Exception {
        Path policies = dir.resolve(name).resolve("policies");
        Files.createDirectories(policies);
        Files.writeString(policies.resolve("policy.yaml"), policyYaml.replace("SITE", name), StandardCharsets.UTF_8);
        FederatedPolicy set = new PolicyLoader(FhirContext.forR4Cached()).loadFederated(policies);
        List<SiteRecord> records = new ArrayList<>();
        Map<String, List<RegisteredConsent>> consents = new HashMap<>();
        for (TrialSites.TrialPatient p : patients) {
            p.records().forEach(r -> records.add(new SiteRecord(p.patientKey(), r, Set.of())));
            consents.put("Patient/" + p.patient().getIdElement().getIdPart(),
                    List.of(new RegisteredConsent("file", "Consent/" + p.consent().getIdElement().getIdPart(), 1,
                            p.consent())));
        }
        Map<String, AggregateTwinModel> plugins = new HashMap<>(extraPlugins);
        plugins.put("tumour-twin", new TumourTrialAggregate());
        MemoryAudit audit = new MemoryAudit();
        FederatedSite site = new FederatedSite(new FederatedSite.Settings(identities.get(name), trust, () -> set,
                SiteConsents.of(new PatientConsents(FhirContext.forR4Cached(), consents,
                        new ConsentSettings(ConsentDefaults.denyAll(), Map.of(), Map.of()), Clock.systemUTC())),
                () -> records, AggregatePlugins.of(plugins), audit,
                CohortMemory.inFile(dir.resolve(name).resolve("cohorts.json")), ("memory-" + name).getBytes(),
                Clock.systemUTC(), new Random(1)));
        audits.put(name, audit);
        sites.put(name, site);
        listeners.put(name, site.listen(new InetSocketAddress("127.0.0.1", 0)));
    }

    List<Peer> peers() {
        return listeners.entrySet().stream()
                .map(e -> new Peer(e.getKey(), URI.create("https://127.0.0.1:" + e.getValue().port()))).toList();
    }

    Coordinator coordinator(SiteIdentity identity, List<Peer> peers, Duration timeout) {
        return new Coordinator(new Coordinator.Settings(identity, coordinatorTrust(), peers, Duration.ofMinutes(5),
                timeout, Clock.systemUTC()));
    }

    Coordinator coordinator() {
        return coordinator(identities.get(COORDINATOR), peers(), Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        listeners.values().forEach(TaskListener::close);
    }

    static final String POLICY = """
            policy-set:
              id: SITE-research
              description: SITE's research policy for the federated tumour trial.
            federation:
              disclosure: { min-cell: 5, min-cohort: 8 }
              rules:
                - id: tumour-trial
                  effect: permit
                  requesters: [trial-coordinator]
                  plugins: [tumour-twin, leaky-twin, cohort-probe, slow-twin, dying-process]
                  purposes: [HRESCH]
            rules:
              - id: trial-imaging
                effect: permit
                recipients: [tumour-twin, leaky-twin, cohort-probe, slow-twin]
                purposes: [HRESCH]
                resource-types: [Observation]
                consent: required
                condition: >-
                  Observation.code.coding.where(system = 'http://loinc.org' and code = '21889-1').exists()
                project:
                  Observation: [status, code, subject, "effective[x]", "value[x]", bodySite]
            """;
}
