package org.twinbridge.runtime.consent;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Consent;
import org.twinbridge.consent.io.ConsentInput;
import org.twinbridge.consent.io.ConsentInputException;
import org.twinbridge.consent.jdbc.JdbcConsentRegistry;
import org.twinbridge.consent.jdbc.StoreOutcome;
import org.twinbridge.consent.model.RegisteredConsent;
import org.twinbridge.runtime.audit.AuditEvent;
import org.twinbridge.runtime.audit.AuditTrail;
import org.twinbridge.runtime.storage.Database;

/** {@link ConsentAdmin} over the node's versioned, encrypted consent registry. */
public final class RegistryConsentAdmin implements ConsentAdmin {

    private final Database db;
    private final JdbcConsentRegistry registry;
    private final ConsentImport importer;
    private final AuditTrail audit;

    public RegistryConsentAdmin(Database db, JdbcConsentRegistry registry, ConsentImport importer, AuditTrail audit) {
        this.db = Objects.requireNonNull(db, "db");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.importer = Objects.requireNonNull(importer, "importer");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    @Override
    public List<RegisteredConsent> current(String patientKey) throws SQLException {
        return db.inTransaction(c -> registry.current(c, patientKey));
    }

    @Override
    public List<RegisteredConsent> history(String patientKey, String consentId) throws SQLException {
        return db.inTransaction(c -> registry.history(c, patientKey, consentId));
    }

    @Override
    public List<ConsentImport.Imported> importAll(List<ConsentInput> inputs, Optional<String> connectorId,
            String actor) throws ConsentInputException, SQLException {
        return importer.importAll(inputs, connectorId, actor);
    }

    @Override
    public Optional<Withdrawal> withdraw(String patientKey, String consentId, String actor) throws SQLException {
        return db.inTransaction(c -> {
            RegisteredConsent current = registry.current(c, patientKey).stream()
                    .filter(r -> r.consentId().equals(consentId)).findFirst().orElse(null);
            if (current == null) {
                return Optional.empty();
            }
            Consent withdrawn = current.resource().copy();
            withdrawn.setStatus(Consent.ConsentState.INACTIVE);
            StoreOutcome outcome = registry.store(c, patientKey, current.source(), withdrawn);
            audit.record(c, new AuditEvent("consent.withdraw", actor, patientKey, Map.of("consent", consentId,
                    "version", Integer.toString(outcome.version()))));
            return Optional.of(new Withdrawal(consentId, outcome.version(), outcome.status()));
        });
    }
}
