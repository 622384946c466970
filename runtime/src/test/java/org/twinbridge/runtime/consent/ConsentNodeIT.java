package org.twinbridge.runtime.consent;

import org.twinbridge.runtime.node.NodeTestAccess;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.embedded.fhir.EmbeddedFhirServer;
import org.twinbridge.runtime.testing.EraseTestTwin;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.dispatch.DeliveryStats;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.node.Node;
import org.twinbridge.runtime.testing.HeartRates;
import org.twinbridge.runtime.testing.PluginJars;

/**
 * A running node: the FHIR connector pulls Consent with the patient's data from an EHR (the embedded
 * server), the journal registers it, and the pf4j-loaded twin receives observations while the consent
 * permits. When the EHR's consent is changed to deny, the node pulls the new version and delivery stops from
 * the next record on.
 */
class ConsentNodeIT {

    @TempDir
    Path dir;

    @Test
    void node_pullsConsentFromTheEhr_andAWithdrawalThereStopsDelivery() throws Exception {
        try (EmbeddedFhirServer ehr = EmbeddedFhirServer.start(0)) {
            Patient patient = new Patient();
            patient.setId("p1");
            patient.addName().setFamily("Quimby");
            ehr.store().save(patient);
            ehr.store().save(Consents.of("c1", "p1", Consent.ConsentProvisionType.PERMIT));
            ehr.store().save(HeartRates.of("o1", 60));
            ehr.store().save(HeartRates.of("o2", 61));

            NodeConfig config = writeConfig(ehr.baseUrl());
            NodeKeys keys = NodeKeys.init(config.keys().keystore(), "node-it-password".toCharArray(),
                    config.node().id(), Clock.systemUTC());
            try (Node node = Node.start(config, keys, ConnectorRegistry.discover(), Clock.systemUTC())) {
                assertThat(node.subscribers()).extracting(s -> s.id()).containsExactly(EraseTestTwin.ID);
                // The twin also asks for Patient records, which this policy denies without consulting consent.
                await(() -> counters(node).equals(List.of(2L, 1L)), "two observations delivered under consent c1");

                Consent withdrawn = Consents.denyObservationsTo("c1", "p1", "Device/" + EraseTestTwin.ID);
                ehr.store().save(withdrawn);
                // Only then the next record: within one poll, types are fetched in the configured order, so an
                // observation saved at the same moment could be read before the new consent version.
                await(() -> versions(node) == 2, "the changed consent pulled as version 2");
                ehr.store().save(HeartRates.of("o3", 62));
                await(() -> counters(node).equals(List.of(2L, 2L)), "o3 denied after the withdrawal");

                assertThat(consentColumn(node)).containsExactly(
                        "PERMIT Consent/c1 v1 (ehr) provision permits everything in scope",
                        "PERMIT Consent/c1 v1 (ehr) provision permits everything in scope",
                        "DENY Consent/c1 v2 (ehr) provision.provision[0] denies actor Device/erase-twin, class "
                                + "Observation");
            }
        }
    }

    private NodeConfig writeConfig(String ehrBaseUrl) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.write(plugins.resolve("erase-twin.jar"), EraseTestTwin.ID, EraseTestTwin.class);
        Path policies = Files.createDirectories(dir.resolve("policies"));
        Files.writeString(policies.resolve("policy.yaml"), """
                policy-set: { id: consent-node }
                rules:
                  - id: vitals-with-consent
                    effect: permit
                    recipients: [erase-twin]
                    purposes: [TREAT]
                    resource-types: [Observation]
                    consent: required
                    project: { Observation: [code, subject, "value[x]"] }
                """);
        Files.writeString(dir.resolve("pw"), "node-it-password");
        Path file = dir.resolve("twinbridge.yaml");
        Files.writeString(file, """
                node: { id: consent-it, data-dir: ./data }
                keys: { password-file: ./pw }
                connectors:
                  - { id: ehr, type: fhir, base-url: "%s", poll: 300ms, resources: [Patient, Consent, Observation] }
                plugins: { dir: ./plugins, trusted: [erase-twin] }
                policies: { dir: ./policies, purposes: { erase-twin: TREAT } }
                consent: { defaults: { TREAT: deny } }
                """.formatted(ehrBaseUrl));
        return new ConfigLoader(ConnectorRegistry.discover().settingKeys()).load(file);
    }

    /** [delivered, denied] for the twin. */
    private static List<Long> counters(Node node) {
        try {
            DeliveryStats.PluginCounters c = node.pipeline().deliveries().get(EraseTestTwin.ID);
            return c == null ? List.of(-1L, -1L) : List.of(c.delivered(), c.denied());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long versions(Node node) {
        try {
            return NodeTestAccess.database(node).inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM consent_version");
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> consentColumn(Node node) throws Exception {
        return NodeTestAccess.database(node).inTransaction(c -> {
            List<String> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT outcome, consent FROM decision_log "
                    + "WHERE consent IS NOT NULL ORDER BY journal_seq"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
            return rows;
        });
    }

    /** Waits for a condition; the limit is generous and only bounds a hung test, it asserts no speed. */
    private static void await(BooleanSupplier condition, String what) {
        org.twinbridge.testkit.Await.until(what, condition::getAsBoolean);
    }
}
