package org.twinbridge.runtime.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.policy.decision.AllowListDecisionPoint;
import org.twinbridge.runtime.audit.JdbcAuditLog;
import org.twinbridge.runtime.dispatch.Dispatcher;
import org.twinbridge.runtime.dispatch.Subscriber;
import org.twinbridge.runtime.journal.PatientKeys;
import org.twinbridge.runtime.testing.LogCapture;
import org.twinbridge.runtime.testing.TestDatabases;
import org.twinbridge.runtime.testing.TestNode;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.CanonicalRecord;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.PluginManifest;

/**
 * Runs the whole key lifecycle (init, rotation, data keys, deliveries, a failing plugin, crypto-shredding,
 * re-wrap, audit verification) with every logger at DEBUG, then looks for every key in every common encoding
 * in the logs, in exception messages and in the toString() of every key-holding object.
 */
class NoKeyMaterialInLogsTest {

    @TempDir
    Path dir;

    @Test
    void keyMaterial_neverAppearsInLogsExceptionsOrToString() throws Exception {
        List<String> seen = new ArrayList<>();
        List<byte[]> secrets = new ArrayList<>();
        Path keystore = dir.resolve("keys.p12");
        try (LogCapture logs = LogCapture.everything()) {
            NodeKeys.init(keystore, TestNode.password(), TestNode.NODE_ID, Clock.systemUTC());
            NodeKeys.rotate(keystore, TestNode.password(), KeyFamily.KEK, TestNode.NODE_ID, Clock.systemUTC());
            try (TestNode node = TestNode.onKeystore(keystore, TestDatabases.embedded(dir))) {
                Patient patient = new Patient();
                patient.setId("p1");
                Observation o = new Observation();
                o.setId("o1");
                o.setSubject(new Reference("Patient/p1"));
                node.journal().append(List.of(CanonicalRecord.of("ehr", "Patient/p1", patient),
                        CanonicalRecord.of("ehr", "Observation/o1", o)));
                Dispatcher dispatcher = new Dispatcher(node.db(), node.journal(),
                        new AllowListDecisionPoint(Map.of("twin-a", List.of("Observation", "Patient"))),
                        node.patients(), node.keys().pseudonyms(), node.keys().dataKeys(), node.audit(),
                        TestNode.FHIR, Dispatcher.Settings.defaults(TestNode.FHIR, Clock.systemUTC()));
                dispatcher.dispatchBatch(new Subscriber(new FailingOnPatients(), new FailingOnPatients().manifest(),
                        "TREAT"), 10);

                List<String> keyIds = node.db().inTransaction(c -> {
                    List<String> ids = new ArrayList<>();
                    try (PreparedStatement ps = c.prepareStatement("SELECT key_id FROM data_key");
                            ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getString(1));
                        }
                    }
                    return ids;
                });
                for (String id : keyIds) {
                    secrets.add(node.db().inTransaction(c -> node.keys().dataKeys().forReading(c, id))
                            .revealKeyMaterial());
                }
                String patientKey = node.db().inTransaction(c -> node.journal().readAfter(c, 0, 1)).get(0)
                        .patientKey().orElseThrow();
                node.db().inTransaction(c -> new PatientKeys(node.keys().dataKeys(), node.audit(), "test").destroy(c, patientKey));
                for (String id : keyIds) {
                    Throwable t = catchThrowable(() -> node.db().inTransaction(c ->
                            node.keys().dataKeys().forReading(c, id)));
                    if (t != null) {
                        seen.add(t.toString());
                    }
                }
                node.db().inTransaction(c -> node.keys().dataKeys().rewrap(c, 100));
                node.db().inTransaction(c -> JdbcAuditLog.verify(c, node.keys().auditVerifier(), TestNode.NODE_ID));
                seen.add(String.valueOf(catchThrowable(() -> NodeKeys.load(keystore, "wrong".toCharArray()))));
                for (Object holder : List.of(node.keys(), node.keys().dataKeys(), node.keys().pseudonyms(),
                        node.keys().identifierHashes(), node.keys().auditSigner(), node.keys().auditVerifier(),
                        node.audit(), node.keys().keys())) {
                    seen.add(holder.toString());
                }
            }
            seen.add(logs.text());
        }
        secrets.addAll(keystoreMaterial(keystore));

        assertThat(secrets).hasSizeGreaterThanOrEqualTo(9);
        String everything = String.join("\n", seen);
        assertThat(everything).as("the capture saw the failure path and the shredded key")
                .contains("TB-DISPATCH-001").contains("TB-KEYS-020");
        for (byte[] secret : secrets) {
            for (String encoded : encodings(secret)) {
                assertThat(everything).as("key material (%s...) in logs or messages", encoded.substring(0, 6))
                        .doesNotContain(encoded);
            }
        }
    }

    /** Every secret and private key in the keystore, read as an attacker with the password would. */
    private static List<byte[]> keystoreMaterial(Path keystore) throws Exception {
        List<byte[]> out = new ArrayList<>();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, TestNode.password());
        }
        for (String alias : Collections.list(store.aliases())) {
            Key key = store.getKey(alias, TestNode.password());
            byte[] encoded = key.getEncoded();
            out.add(encoded);
            if (key instanceof java.security.PrivateKey) {
                // The raw private scalar / seed sits at the end of the PKCS#8 encoding.
                out.add(java.util.Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
            }
        }
        return out;
    }

    private static List<String> encodings(byte[] secret) {
        // 16-byte windows catch a key printed in part, or wrapped across lines.
        byte[] head = java.util.Arrays.copyOf(secret, Math.min(16, secret.length));
        return List.of(HexFormat.of().formatHex(head), HexFormat.of().withUpperCase().formatHex(head),
                Base64.getEncoder().encodeToString(head).substring(0, 20),
                Base64.getUrlEncoder().withoutPadding().encodeToString(head).substring(0, 20),
                new String(head, StandardCharsets.ISO_8859_1));
    }

    /** A twin that throws on Patient records, so the failure path is logged too. */
    private static final class FailingOnPatients implements TwinModel {
        @Override
        public PluginManifest manifest() {
            return new PluginManifest("twin-a", "1.0.0", "test", "fails on patients",
                    new DataRequest(Set.of("Patient", "Observation"), Set.of(), Set.of("TREAT")), List.of());
        }

        @Override
        public void onRecord(AuthorisedRecord record, TwinContext context) {
            context.state().put(record.subject(), "seen", "yes");
            if (record.resourceType().equals("Patient")) {
                throw new IllegalStateException("plugin failure");
            }
        }

        @Override
        public void onErase(String subject, TwinContext context) {
        }
    }
}
