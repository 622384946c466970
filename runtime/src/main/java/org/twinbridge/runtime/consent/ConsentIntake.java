package org.twinbridge.runtime.consent;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Consent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.consent.jdbc.JdbcConsentRegistry;
import org.twinbridge.consent.jdbc.StoreOutcome;
import org.twinbridge.runtime.audit.AuditEvent;
import org.twinbridge.runtime.audit.AuditTrail;
import org.twinbridge.runtime.journal.JournalListener;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * Registers the Consent resources that connectors deliver, as the journal adds them and in the same
 * transaction: the consent is stored for the patient the journal linked it to (through its {@code patient}
 * reference, scoped to the connector), as a new version when it changed, and the change is audited. A Consent
 * that cannot be registered (no patient, no id) stays in the journal and is reported without content.
 */
public final class ConsentIntake implements JournalListener {

    private static final Logger LOG = LoggerFactory.getLogger(ConsentIntake.class);
    private final JdbcConsentRegistry registry;
    private final AuditTrail audit;

    public ConsentIntake(JdbcConsentRegistry registry, AuditTrail audit) {
        this.registry = registry;
        this.audit = audit;
    }

    @Override
    public void added(Connection c, CanonicalRecord record, Optional<String> patientKey) throws SQLException {
        if (!(record.resource() instanceof Consent consent)) {
            return;
        }
        if (patientKey.isEmpty()) {
            LOG.warn("TB-CONSENT-010 a Consent from connector {} has no patient reference this node can link; it is "
                    + "journalled but not registered, so it decides nothing", record.connectorId());
            return;
        }
        if (!consent.getIdElement().hasIdPart()) {
            LOG.warn("TB-CONSENT-011 a Consent from connector {} has no id, so it cannot be versioned; it is "
                    + "journalled but not registered", record.connectorId());
            return;
        }
        StoreOutcome outcome = registry.store(c, patientKey.get(), record.connectorId(), consent);
        if (outcome.created()) {
            audit.record(c, versionEvent("node", patientKey.get(), record.connectorId(), outcome));
        }
    }

    /** The audit event of a new consent version: ids, version and status, no content. */
    static AuditEvent versionEvent(String actor, String patientKey, String source, StoreOutcome outcome) {
        return new AuditEvent("consent.version", actor, patientKey, Map.of("source", source,
                "consent", outcome.consentId(), "version", Integer.toString(outcome.version()),
                "status", outcome.status()));
    }
}
