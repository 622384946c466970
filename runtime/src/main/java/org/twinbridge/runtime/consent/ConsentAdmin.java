package org.twinbridge.runtime.consent;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.twinbridge.consent.io.ConsentInput;
import org.twinbridge.consent.io.ConsentInputException;
import org.twinbridge.consent.model.RegisteredConsent;

/**
 * The consent registry as the admin API and the CLI see it: read a patient's consents, store new ones, withdraw
 * one. Every write is audited in the same transaction and the node decides with it at once. Thread-safe.
 */
public interface ConsentAdmin {

    /** The current version of each of the patient's consents. */
    List<RegisteredConsent> current(String patientKey) throws SQLException;

    /** Every version of one consent ({@code Consent/<id>}), oldest first; empty if the patient has none. */
    List<RegisteredConsent> history(String patientKey, String consentId) throws SQLException;

    /** Stores consents as {@code twinbridge consent import} does (see {@link ConsentImport#importAll}). */
    List<ConsentImport.Imported> importAll(List<ConsentInput> inputs, Optional<String> connectorId, String actor)
            throws ConsentInputException, SQLException;

    /**
     * Stores an inactive version of the patient's current consent and audits it as {@code consent.withdraw}.
     *
     * @return the new version, or empty if the patient has no current consent with that id
     */
    Optional<Withdrawal> withdraw(String patientKey, String consentId, String actor) throws SQLException;

    /** The version a withdrawal stored. */
    record Withdrawal(String consentId, int version, String status) {
    }
}
