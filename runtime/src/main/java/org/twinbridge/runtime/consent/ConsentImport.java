package org.twinbridge.runtime.consent;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.twinbridge.consent.io.ConsentInput;
import org.twinbridge.consent.io.ConsentInputException;
import org.twinbridge.consent.jdbc.JdbcConsentRegistry;
import org.twinbridge.consent.jdbc.StoreOutcome;
import org.twinbridge.runtime.audit.AuditTrail;
import org.twinbridge.runtime.journal.PatientIndex;
import org.twinbridge.runtime.storage.Database;

/**
 * {@code twinbridge consent import}: links each Consent to its patient through the patient index and stores it
 * in the registry, all in one transaction. A consent says whose it is in one of these ways, tried in order:
 *
 * <ol>
 *   <li>with {@code --connector ID}: a literal {@code patient} reference ({@code Patient/123}) means that
 *       connector's Patient/123, exactly as if the connector had delivered the consent;</li>
 *   <li>{@code patient.identifier} (system and value): the patient with that business identifier;</li>
 *   <li>the Patient the reference points to in the same file (a Bundle entry or NDJSON line), by its
 *       identifiers (and, with {@code --connector}, its id in that connector).</li>
 * </ol>
 *
 * A patient the node has not seen yet is created in the index, so that consent may arrive before data. If any
 * consent cannot be linked, or has no id, nothing is stored.
 */
public final class ConsentImport {

    /** The registry source of consents imported without {@code --connector}. */
    public static final String SOURCE = "import";
    private final Database db;
    private final PatientIndex patients;
    private final JdbcConsentRegistry registry;
    private final AuditTrail audit;

    public ConsentImport(Database db, PatientIndex patients, JdbcConsentRegistry registry, AuditTrail audit) {
        this.db = db;
        this.patients = patients;
        this.registry = registry;
        this.audit = audit;
    }

    /**
     * What happened to one consent; no PHI.
     *
     * @param created false if it equalled its current version and nothing was written
     */
    public record Imported(String location, String consentId, int version, boolean created, String status) {
    }

    @FunctionalInterface
    private interface Linker {
        Optional<String> link(Connection c) throws SQLException;
    }

    /**
     * @param connectorId the connector whose literal Patient ids the consents use, if given; it is also their
     *                    registry source, so a later delivery of the same consent by that connector versions it
     * @param actor       who imports, for the audit trail
     */
    public List<Imported> importAll(List<ConsentInput> inputs, Optional<String> connectorId, String actor)
            throws SQLException, ConsentInputException {
        List<String> problems = new ArrayList<>();
        List<Linker> linkers = new ArrayList<>();
        for (ConsentInput input : inputs) {
            if (!input.consent().getIdElement().hasIdPart()) {
                problems.add(input.location() + ": TB-CONSENT-005 a Consent without an id cannot be versioned; "
                        + "give it an id");
                continue;
            }
            Optional<Linker> linker = linker(input, connectorId);
            if (linker.isEmpty()) {
                problems.add(input.location() + ": TB-CONSENT-012 cannot tell whose consent this is: give "
                        + "Consent.patient.identifier (system and value), put the Patient in the same file, or name "
                        + "the connector whose Patient ids the reference uses (--connector ID)");
            }
            linker.ifPresent(linkers::add);
        }
        if (!problems.isEmpty()) {
            throw new ConsentInputException(problems);
        }
        String source = connectorId.orElse(SOURCE);
        return db.inTransaction(c -> {
            List<Imported> imported = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                ConsentInput input = inputs.get(i);
                String patientKey = linkers.get(i).link(c).orElseThrow(() -> new IllegalStateException(
                        "TB-CONSENT-013 linking " + input.location() + " produced no patient key"));
                StoreOutcome outcome = registry.store(c, patientKey, source, input.consent());
                if (outcome.created()) {
                    audit.record(c, ConsentIntake.versionEvent(actor, patientKey, source, outcome));
                }
                imported.add(new Imported(input.location(), outcome.consentId(), outcome.version(),
                        outcome.created(), outcome.status()));
            }
            return imported;
        });
    }

    private Optional<Linker> linker(ConsentInput input, Optional<String> connectorId) {
        Consent consent = input.consent();
        Reference ref = consent.getPatient();
        if (connectorId.isPresent() && ref.hasReference()
                && "Patient".equals(ref.getReferenceElement().getResourceType())
                && ref.getReferenceElement().hasIdPart()) {
            return Optional.of(c -> patients.link(c, connectorId.get(), consent));
        }
        if (ref.hasIdentifier() && ref.getIdentifier().hasSystem() && ref.getIdentifier().hasValue()) {
            Patient stub = new Patient();
            stub.addIdentifier(ref.getIdentifier().copy());
            return Optional.of(c -> patients.link(c, SOURCE, stub));
        }
        if (input.patientInFile().isPresent()) {
            Patient inFile = input.patientInFile().get();
            if (connectorId.isPresent() && inFile.getIdElement().hasIdPart()) {
                return Optional.of(c -> patients.link(c, connectorId.get(), inFile));
            }
            Patient stub = new Patient();
            inFile.getIdentifier().stream().filter(id -> id.hasSystem() && id.hasValue()).map(Identifier::copy)
                    .forEach(stub::addIdentifier);
            if (stub.hasIdentifier()) {
                return Optional.of(c -> patients.link(c, SOURCE, stub));
            }
        }
        return Optional.empty();
    }
}
