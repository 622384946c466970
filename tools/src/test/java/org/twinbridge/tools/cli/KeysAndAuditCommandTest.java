package org.twinbridge.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.runtime.audit.JdbcAuditTrail;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.storage.Database;

/** {@code keys init|list|rotate|rewrap|retire} and {@code audit verify|query}, run as an operator would. */
class KeysAndAuditCommandTest {

    @TempDir
    Path dir;
    private Path config;

    @BeforeEach
    void writeConfig() throws Exception {
        Files.writeString(dir.resolve("pw"), "correct horse battery staple\n");
        config = dir.resolve("node.yaml");
        Files.writeString(config, """
                node: { id: cli-node, data-dir: ./data }
                keys: { keystore: ./data/keys.p12, password-file: ./pw }
                audit: { checkpoint-interval: 5 }
                """);
    }

    private CliRun run(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "-c";
        all[args.length + 1] = config.toString();
        return CliRun.of(all);
    }

    private Database db() {
        return Database.open("jdbc:sqlite:" + dir.resolve("data/twinbridge.db").toAbsolutePath(), null, null);
    }

    /** Decisions as the dispatcher records them, signed by the node's key. */
    private void appendDecisions(int n) throws Exception {
        NodeKeys keys = NodeKeys.load(dir.resolve("data/keys.p12"), "correct horse battery staple".toCharArray());
        JdbcAuditTrail audit = JdbcAuditTrail.signing(Clock.systemUTC(),
                new JdbcAuditTrail.CheckpointPolicy("cli-node", keys.auditSigner(), 5));
        try (Database db = db()) {
            for (int i = 0; i < n; i++) {
                int k = i;
                db.inTransaction(c -> audit.append(c, new org.twinbridge.runtime.audit.AuditEvent("decision", "node",
                        "patient-" + (k % 2), Map.of("plugin", "twin-a", "purpose", "TREAT", "outcome",
                                k % 3 == 0 ? "DENY" : "PERMIT", "receipt", "r-" + k, "reason", "no rule"))));
            }
        }
    }

    @Test
    void keysInit_createsEveryKey_andAuditsIt() {
        CliRun init = run("keys", "init");
        CliRun list = run("keys", "list");

        assertThat(init.exitCode()).as(init.err()).isZero();
        assertThat(init.out()).contains("kek-v1").contains("audit-signing-v1").contains("Back it up");
        assertThat(list.out()).contains("node-identity-v1").contains("ECDSA P-256").contains("CN=cli-node");
        CliRun query = run("audit", "query", "--kind", "keys.init");
        assertThat(query.out()).contains("keys.init").contains("1 entry");
    }

    @Test
    void keysRotate_rewrap_retire_keepTheTrailIntact() throws Exception {
        run("keys", "init");
        appendDecisions(3);
        try (Database db = db()) {
            NodeKeys keys = NodeKeys.load(dir.resolve("data/keys.p12"), "correct horse battery staple".toCharArray());
            db.inTransaction(c -> keys.dataKeys().forWriting(c, org.twinbridge.runtime.crypto.KeyOwner.patient("p")));
        }

        CliRun rotate = run("keys", "rotate");
        CliRun retireTooEarly = run("keys", "retire", "--key", "kek-v1");
        CliRun rewrap = run("keys", "rewrap");
        CliRun retire = run("keys", "retire", "--key", "kek-v1");
        CliRun list = run("keys", "list");
        CliRun verify = run("audit", "verify");

        assertThat(rotate.out()).contains("Added kek-v2");
        assertThat(retireTooEarly.exitCode()).isEqualTo(2);
        assertThat(retireTooEarly.err()).contains("TB-KEYS-014");
        assertThat(rewrap.out()).contains("Re-wrapped 1 data key(s) under kek-v2");
        assertThat(retire.exitCode()).as(retire.err()).isZero();
        assertThat(list.out()).doesNotContain("kek-v1").contains("kek-v2").contains("{kek-v2=1}");
        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("Audit trail intact: 7 entries");
    }

    @Test
    void auditVerify_onAnIntactTrail_countsEntriesAndCheckpoints() throws Exception {
        run("keys", "init");
        appendDecisions(11);

        CliRun verify = run("audit", "verify");

        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("12 entries, 2 signed checkpoint(s) verified (last at position 10)");
    }

    @Test
    void auditVerify_afterAnEntryWasEdited_exitsOneNamingThePosition() throws Exception {
        run("keys", "init");
        appendDecisions(11);
        try (Database db = db()) {
            db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE audit_event SET outcome = 'PERMIT' WHERE chain_pos = 2")) {
                    return ps.executeUpdate();
                }
            });
        }

        CliRun verify = run("audit", "verify");

        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.err()).contains("TB-AUDIT-011 first bad position 2");
    }

    @Test
    void auditQuery_filtersDecisions_andExportsFhirAuditEvents() throws Exception {
        run("keys", "init");
        appendDecisions(6);

        CliRun denies = run("audit", "query", "--decision", "deny", "--format", "ndjson");
        CliRun patient = run("audit", "query", "--patient", "patient-1", "--plugin", "twin-a");
        CliRun fhir = run("audit", "query", "--receipt", "r-3", "--format", "fhir", "--since", "1h");
        CliRun bad = run("audit", "query", "--decision", "maybe");

        assertThat(denies.out().lines()).hasSize(2).allSatisfy(line -> assertThat(line).contains("\"outcome\":\"DENY\""));
        assertThat(patient.out()).contains("3 entries");
        AuditEvent event = FhirContext.forR4Cached().newJsonParser().parseResource(AuditEvent.class,
                fhir.out().strip());
        assertThat(event.getType().getCode()).isEqualTo("110106");
        assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
        assertThat(event.getPurposeOfEventFirstRep().getCodingFirstRep().getCode()).isEqualTo("TREAT");
        assertThat(event.getEntity()).anySatisfy(e -> assertThat(e.getWhat().getIdentifier().getValue())
                .isEqualTo("r-3"));
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("TB-AUDIT-031");
    }
}
