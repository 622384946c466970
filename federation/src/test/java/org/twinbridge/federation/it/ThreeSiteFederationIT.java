package org.twinbridge.federation.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.federation.coordinator.Coordinator;
import org.twinbridge.federation.coordinator.FederatedResult;
import org.twinbridge.federation.coordinator.Peer;
import org.twinbridge.federation.coordinator.PooledTable;
import org.twinbridge.federation.coordinator.SiteStatus;
import org.twinbridge.federation.disclosure.Cell;
import org.twinbridge.federation.disclosure.DisclosedTable;
import org.twinbridge.federation.identity.Certificates;
import org.twinbridge.federation.identity.SiteIdentity;
import org.twinbridge.federation.site.ReleaseAudit;
import org.twinbridge.federation.transport.HttpsTaskServer;
import org.twinbridge.federation.transport.MutualTls;
import org.twinbridge.federation.transport.TaskListener;
import org.twinbridge.federation.wire.CmsEnvelope;
import org.twinbridge.federation.wire.TaskRequest;
import org.twinbridge.federation.wire.WireJson;

/** Three sites and a coordinator on loopback, over real mutual TLS, running the tumour trial and hostile tasks. */
class ThreeSiteFederationIT {

    @TempDir
    Path dir;
    LoopbackFederation federation;

    @BeforeEach
    void start() throws Exception {
        federation = new LoopbackFederation(dir);
        federation.extraPlugins.put("leaky-twin", HostilePlugins.leaky());
        federation.extraPlugins.put("cohort-probe", HostilePlugins.cohortProbe());
        federation.extraPlugins.put("dying-process", HostilePlugins.processThatDies());
        federation.startSites(LoopbackFederation.POLICY, federation.siteTrust(Set.of()));
    }

    @AfterEach
    void stop() {
        federation.close();
    }

    @Test
    void threeSites_runTheTrial_andOnlyDisclosureControlledCountsLeave() {
        FederatedResult result = federation.coordinator().run("tumour-twin", "HRESCH", Map.of());

        assertThat(result.sites()).hasSize(3).allMatch(s -> s instanceof SiteStatus.Ok);
        assertThat(result.partial()).isFalse();
        for (SiteStatus s : result.sites()) {
            SiteStatus.Ok ok = (SiteStatus.Ok) s;
            DisclosedTable table = ok.answer().table().orElseThrow();
            assertThat(table.rows()).contains("untreated", "docetaxel-q3w");
            assertThat(table.columns()).containsExactly("CR", "PR", "SD", "PD");
            assertThat(table.cohort()).isGreaterThanOrEqualTo(8);
            table.cells().forEach(row -> row.forEach(c -> {
                if (c instanceof Cell.Released r) {
                    assertThat(r.count() == 0 || r.count() >= 5).as("no count from 1 to 4 leaves").isTrue();
                }
            }));
            // the site's audit holds the release with the hash the coordinator received, and the signed task
            List<MemoryAudit.Event> releases = federation.audits.get(s.site()).of(ReleaseAudit.RELEASE);
            assertThat(releases).hasSize(1);
            assertThat(releases.get(0).actor()).isEqualTo("site:trial-coordinator");
            assertThat(releases.get(0).details()).containsEntry("release-sha256", ok.answer().releaseHash().orElseThrow())
                    .containsKey("task-cms").containsEntry("plugin", "tumour-twin").containsEntry("purpose", "HRESCH");
            assertThat(ok.answer().auditEntry()).contains("memory #1");
        }
        PooledTable pooled = result.pooled();
        assertThat(pooled.sites()).containsExactlyElementsOf(List.of("city-general", "north-infirmary", "st-marys"));
        assertThat(pooled.cohort()).isEqualTo(result.sites().stream()
                .mapToLong(s -> ((SiteStatus.Ok) s).answer().table().orElseThrow().cohort()).sum());
    }

    @Test
    void noPatientIdentifierOrName_reachesTheLogs_evenFromAHostilePlugin() throws Exception {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
                new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try {
            federation.coordinator().run("tumour-twin", "HRESCH", Map.of());
            federation.coordinator().run("leaky-twin", "HRESCH", Map.of());
            federation.coordinator().run("tumour-twin", "HRESCH", Map.of("min-assessments", "oops"));
        } finally {
            root.detachAppender(logs);
        }
        List<String> secrets = new ArrayList<>();
        for (var site : org.twinbridge.embedded.trial.TrialSites.split(3, Instant.now())) {
            for (var p : site) {
                secrets.add(p.patient().getIdElement().getIdPart());
                secrets.add(p.patient().getNameFirstRep().getFamily());
                p.patient().getIdentifier().forEach(i -> secrets.add(i.getValue()));
            }
        }
        assertThat(logs.list).isNotEmpty();
        for (var event : logs.list) {
            String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                    : event.getThrowableProxy().getMessage());
            assertThat(secrets).noneMatch(secret -> secret != null && secret.length() > 3 && line.contains(secret));
        }
    }

    @Test
    void anUntrustedCoordinator_isRefusedAtTheHandshake_audited_andTheSitesStayUp() {
        SiteIdentity stranger = LoopbackFederation.identity(LoopbackFederation.COORDINATOR, Instant.now(),
                Duration.ofDays(1));
        FederatedResult result = federation.coordinator(stranger, federation.peers(), Duration.ofSeconds(10))
                .run("tumour-twin", "HRESCH", Map.of());

        assertThat(result.sites()).allMatch(s -> s instanceof SiteStatus.Failed f && f.reason().startsWith("TB-FED-016"));
        assertThat(result.partial()).isTrue();
        federation.audits.values().forEach(a -> assertThat(a.of(ReleaseAudit.REFUSE))
                .anyMatch(e -> e.details().get("code").equals("TB-FED-003")));
        assertThat(federation.coordinator().run("tumour-twin", "HRESCH", Map.of()).sites())
                .allMatch(s -> s instanceof SiteStatus.Ok);
    }

    @Test
    void anExpiredCoordinatorCertificate_isRefused_andAudited() throws Exception {
        SiteIdentity expired = LoopbackFederation.identity(LoopbackFederation.COORDINATOR,
                Instant.now().minus(Duration.ofDays(10)), Duration.ofDays(1));
        federation.close();
        federation.listeners.clear();
        federation.startSites(LoopbackFederation.POLICY, federation.siteTrust(Set.of(), expired.certificate()));

        FederatedResult result = federation.coordinator(expired, federation.peers(), Duration.ofSeconds(10))
                .run("tumour-twin", "HRESCH", Map.of());

        assertThat(result.sites()).allMatch(s -> s instanceof SiteStatus.Failed);
        federation.audits.values().forEach(a -> assertThat(a.of(ReleaseAudit.REFUSE))
                .anyMatch(e -> e.details().get("code").equals("TB-FED-004")));
    }

    @Test
    void aRevokedCoordinatorCertificate_isRefused_andAudited() throws Exception {
        federation.close();
        federation.listeners.clear();
        String revoked = Certificates.fingerprint(federation.identities.get(LoopbackFederation.COORDINATOR)
                .certificate());
        federation.startSites(LoopbackFederation.POLICY, federation.siteTrust(Set.of(revoked)));

        FederatedResult result = federation.coordinator().run("tumour-twin", "HRESCH", Map.of());

        assertThat(result.sites()).allMatch(s -> s instanceof SiteStatus.Failed);
        federation.audits.values().forEach(a -> assertThat(a.of(ReleaseAudit.REFUSE))
                .anyMatch(e -> e.details().get("code").equals("TB-FED-005")));
    }

    @Test
    void aReplayedTask_isRefused_andAudited() {
        Coordinator coordinator = federation.coordinator();
        byte[] signed = CmsEnvelope.sign(federation.identities.get(LoopbackFederation.COORDINATOR),
                WireJson.encode(coordinator.task("tumour-twin", "HRESCH", Map.of())));
        assertThat(coordinator.submit(signed).sites()).allMatch(s -> s instanceof SiteStatus.Ok);

        FederatedResult replay = coordinator.submit(signed);

        assertThat(replay.sites()).allMatch(s -> s instanceof SiteStatus.Declined d
                && d.reason().startsWith("TB-FED-008"));
        federation.audits.values().forEach(a -> assertThat(a.of(ReleaseAudit.REFUSE))
                .anyMatch(e -> e.details().get("code").equals("TB-FED-008")));
    }

    @Test
    void anExpiredTask_isRefused() {
        Instant past = Instant.now().minus(Duration.ofHours(1));
        TaskRequest task = new TaskRequest("task-old", LoopbackFederation.COORDINATOR, "tumour-twin", "HRESCH",
                Map.of(), "nonce-old", past, past.plus(Duration.ofMinutes(5)));
        byte[] signed = CmsEnvelope.sign(federation.identities.get(LoopbackFederation.COORDINATOR),
                WireJson.encode(task));

        FederatedResult result = federation.coordinator().submit(signed);

        assertThat(result.sites()).allMatch(s -> s instanceof SiteStatus.Declined d
                && d.reason().startsWith("TB-FED-007"));
    }

    @Test
    void aTaskThePolicyDoesNotAllow_isDeclinedByEverySite_withItsReason() {
        FederatedResult result = federation.coordinator().run("tumour-twin", "TREAT", Map.of());

        assertThat(result.sites()).allMatch(s -> s instanceof SiteStatus.Declined d
                && d.reason().startsWith("TB-FED-009") && d.reason().contains("default deny"));
        federation.audits.values().forEach(a -> assertThat(a.of(ReleaseAudit.DECLINE))
                .anyMatch(e -> e.details().get("code").equals("TB-FED-009")));
        assertThat(federation.audits.values()).allMatch(a -> a.of(ReleaseAudit.RELEASE).isEmpty());
    }

    @Test
    void aPluginReturningRowLevelData_isRefused_andNothingLeaves() {
        FederatedResult result = federation.coordinator().run("leaky-twin", "HRESCH", Map.of());

        assertThat(result.sites()).allMatch(s -> s instanceof SiteStatus.Declined d
                && d.reason().startsWith("TB-FED-013"));
        assertThat(result.pooled().rows()).isEmpty();
        assertThat(federation.audits.values()).allMatch(a -> a.of(ReleaseAudit.RELEASE).isEmpty());
    }

    @Test
    void aPluginProcessThatDies_failsTheTask_withTbFed021_audited_andTheSitesStayUp() {
        FederatedResult result = federation.coordinator().run("dying-process", "HRESCH", Map.of());

        assertThat(result.sites()).allMatch(s -> s instanceof SiteStatus.Failed f
                && f.reason().startsWith("TB-FED-021") && f.reason().contains("exited before it answered"));
        federation.audits.values().forEach(a -> assertThat(a.of(ReleaseAudit.FAIL))
                .anyMatch(e -> e.details().get("code").equals("TB-FED-021")
                        && e.details().get("process-failure").equals("CRASHED")));
        assertThat(federation.audits.values()).allMatch(a -> a.of(ReleaseAudit.RELEASE).isEmpty());
        assertThat(federation.coordinator().run("tumour-twin", "HRESCH", Map.of()).sites())
                .as("the sites stay up").allMatch(s -> s instanceof SiteStatus.Ok);
    }

    @Test
    void twoOverlappingCohorts_cannotBeDifferenced() {
        Coordinator coordinator = federation.coordinator();
        assertThat(coordinator.run("cohort-probe", "HRESCH", Map.of("drop", "0")).sites())
                .allMatch(s -> s instanceof SiteStatus.Ok);

        FederatedResult second = coordinator.run("cohort-probe", "HRESCH", Map.of("drop", "1"));

        assertThat(second.sites()).allMatch(s -> s instanceof SiteStatus.Declined d
                && d.reason().startsWith("TB-FED-012"));
        // the same cohort again isolates nobody, so it is answered
        assertThat(coordinator.run("cohort-probe", "HRESCH", Map.of("drop", "0")).sites())
                .allMatch(s -> s instanceof SiteStatus.Ok);
    }

    @Test
    void aDownSiteAndASlowSite_giveAPartialResult_flagged() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        SiteIdentity slowIdentity = federation.identities.get("north-infirmary");
        TaskListener slow = HttpsTaskServer.start(new InetSocketAddress("127.0.0.1", 0),
                MutualTls.context(slowIdentity, federation.siteTrust(Set.of()), java.util.Optional.empty(), r -> {
                }), (body, chain) -> {
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return new byte[0];
                });
        try {
            List<Peer> peers = new ArrayList<>();
            peers.add(federation.peers().get(0));
            peers.add(new Peer("city-general", URI.create("https://127.0.0.1:" + closedPort)));
            peers.add(new Peer("north-infirmary", URI.create("https://127.0.0.1:" + slow.port())));

            FederatedResult result = federation.coordinator(federation.identities.get(LoopbackFederation.COORDINATOR),
                    peers, Duration.ofSeconds(10)).run("tumour-twin", "HRESCH", Map.of());

            assertThat(result.sites().get(0)).isInstanceOf(SiteStatus.Ok.class);
            assertThat(result.sites().get(1)).isInstanceOfSatisfying(SiteStatus.Failed.class,
                    f -> assertThat(f.reason()).startsWith("TB-FED-016"));
            assertThat(result.sites().get(2)).isInstanceOfSatisfying(SiteStatus.TimedOut.class,
                    t -> assertThat(t.reason()).startsWith("TB-FED-017"));
            assertThat(result.partial()).isTrue();
            assertThat(result.pooled().sites()).containsExactly("st-marys");
        } finally {
            slow.close();
        }
    }

    @Test
    void garbage_fromATrustedPeer_isAnsweredWithAReason_andTheSiteStaysUp() throws IOException {
        byte[] answer = federation.sites.get("st-marys").handle("not cms".getBytes(),
                new java.security.cert.X509Certificate[] {
                        federation.identities.get(LoopbackFederation.COORDINATOR).certificate()});
        assertThat(answer).isNotEmpty();
        assertThat(federation.audits.get("st-marys").of(ReleaseAudit.REFUSE))
                .anyMatch(e -> e.details().get("code").equals("TB-FED-006"));
        assertThat(federation.coordinator().run("tumour-twin", "HRESCH", Map.of()).sites())
                .allMatch(s -> s instanceof SiteStatus.Ok);
    }
}
