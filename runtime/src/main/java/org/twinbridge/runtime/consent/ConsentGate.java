package org.twinbridge.runtime.consent;

import ca.uhn.fhir.context.FhirContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.twinbridge.consent.evaluation.ConsentDecision;
import org.twinbridge.consent.evaluation.ConsentEvaluator;
import org.twinbridge.consent.evaluation.ConsentRequest;
import org.twinbridge.consent.jdbc.JdbcConsentRegistry;
import org.twinbridge.consent.model.ConsentSettings;
import org.twinbridge.consent.model.RegisteredConsent;
import org.twinbridge.runtime.journal.JournalEntry;

/**
 * The consent check at delivery time: the patient's current consents, read afresh for every record, evaluated
 * for the recipient plugin, its purpose and the record, at the node's current time. Because it runs when a
 * record is delivered, a withdrawal also covers records that were already queued.
 */
public final class ConsentGate {

    private final Source consents;
    private final ConsentEvaluator evaluator;
    private final ConsentSettings settings;
    private final Clock clock;

    /** Where the patient's current consents come from. */
    @FunctionalInterface
    public interface Source {
        List<RegisteredConsent> current(Connection connection, String patientKey) throws SQLException;
    }

    public ConsentGate(Source consents, ConsentSettings settings, FhirContext fhir, Clock clock) {
        this.consents = consents;
        this.evaluator = new ConsentEvaluator(fhir, settings.defaults());
        this.settings = settings;
        this.clock = clock;
    }

    /** A gate over the registry. */
    public static ConsentGate of(JdbcConsentRegistry registry, ConsentSettings settings, FhirContext fhir,
            Clock clock) {
        return new ConsentGate(registry::current, settings, fhir, clock);
    }

    /** A gate with no registry behind it: every access gets the per-purpose default. */
    public static ConsentGate defaultsOnly(ConsentSettings settings, FhirContext fhir, Clock clock) {
        return new ConsentGate((c, key) -> List.of(), settings, fhir, clock);
    }

    /**
     * Decides whether the patient's consent allows {@code pluginId}, acting under {@code purpose}, to receive the
     * entry. The entry must be linked to a patient.
     */
    public ConsentDecision check(Connection c, String pluginId, String purpose, JournalEntry entry)
            throws SQLException {
        return decide(consents.current(c, entry.patientKey().orElseThrow()), pluginId, purpose, entry);
    }

    /**
     * Checks within one transaction, reading each patient's consents once for all the records it checks. The
     * decision is still taken for each record, at delivery, inside the transaction that commits (or refuses) it;
     * a later record of the transaction is merely decided on a reading some milliseconds older, which is what
     * {@link #check} would have read had the withdrawal committed those milliseconds later. Not thread-safe; one
     * per transaction, discarded with it.
     */
    public InTransaction in(Connection c) {
        return new InTransaction(c);
    }

    /** The consent checks of one transaction. */
    public final class InTransaction {
        private final Connection connection;
        private final Map<String, List<RegisteredConsent>> byPatient = new HashMap<>();

        private InTransaction(Connection connection) {
            this.connection = connection;
        }

        /** As {@link ConsentGate#check}, on this transaction's reading of the patient's consents. */
        public ConsentDecision check(String pluginId, String purpose, JournalEntry entry) throws SQLException {
            String patientKey = entry.patientKey().orElseThrow();
            List<RegisteredConsent> current = byPatient.get(patientKey);
            if (current == null) {
                current = consents.current(connection, patientKey);
                byPatient.put(patientKey, current);
            }
            return decide(current, pluginId, purpose, entry);
        }
    }

    private ConsentDecision decide(List<RegisteredConsent> current, String pluginId, String purpose,
            JournalEntry entry) {
        ConsentRequest request = new ConsentRequest(pluginId, settings.actorsOf(pluginId), purpose, entry.resource(),
                Optional.of(entry.connectorId()), settings.custodianOf(entry.connectorId()), clock.instant());
        return evaluator.decide(current, request);
    }
}
