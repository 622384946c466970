package org.twinbridge.runtime.dispatch;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.policy.decision.Decision;
import org.twinbridge.policy.enforcement.ReferenceMapper;
import org.twinbridge.policy.view.RecipientViews;
import org.twinbridge.runtime.crypto.Pseudonyms;
import org.twinbridge.runtime.journal.JournalEntry;
import org.twinbridge.runtime.journal.PatientIndex;
import org.twinbridge.runtime.journal.RecordFacts;
import org.twinbridge.sdk.model.AuthorisedRecord;

/**
 * Builds what a plugin is given for each permitted record of one transaction: the allow-list projection, with
 * identifiers and references replaced by pseudonyms in the plugin's own domain. The patient references a group
 * names are resolved once per transaction (one index lookup each, not one per record and plugin) and each
 * pseudonym is computed once ({@link PseudonymMemo}). Not thread-safe; one per transaction, on its connection.
 */
final class GroupViews {

    private final Connection connection;
    private final PatientIndex patients;
    private final RecipientViews views;
    private final PseudonymMemo pseudonyms;
    private final Clock clock;
    // connector + "\0" + reference -> the patient key it resolves to, if any
    private final Map<String, Optional<String>> resolved = new HashMap<>();

    GroupViews(Connection connection, PatientIndex patients, RecipientViews views, Pseudonyms pseudonyms,
            Clock clock) {
        this.connection = connection;
        this.patients = patients;
        this.views = views;
        this.pseudonyms = new PseudonymMemo(pseudonyms);
        this.clock = clock;
    }

    /** The pseudonym a plugin knows a patient by: stable per plugin, unlinkable across plugins. */
    static String domainOf(String pluginId) {
        return "recipient|" + pluginId;
    }

    String subjectOf(String pluginId, String patientKey) {
        return pseudonyms.of(domainOf(pluginId), "patient|" + patientKey);
    }

    /** The plugin's view of a permitted, patient-linked record, carrying its receipt id. */
    AuthorisedRecord authorise(Subscriber subscriber, JournalEntry entry, Decision.Permit decision, String receiptId)
            throws SQLException {
        String domain = domainOf(subscriber.id());
        String subject = subjectOf(subscriber.id(), entry.patientKey().orElseThrow());
        Resource view = project(entry, domain, subject, decision);
        return new AuthorisedRecord(subject, view, entry.category(), RecordFacts.effectiveTime(view), receiptId,
                decision.policyVersion());
    }

    private Resource project(JournalEntry entry, String domain, String subject, Decision.Permit permit)
            throws SQLException {
        String viewId = entry.resource() instanceof Patient ? subject
                : pseudonyms.of(domain, "ref|" + entry.connectorId() + "|" + entry.resource().fhirType() + "/"
                        + entry.resource().getIdElement().getIdPart());
        Map<String, String> patientRefs = new HashMap<>();
        for (String ref : RecipientViews.referencedPatients(entry.resource())) {
            Optional<String> key = resolved.get(entry.connectorId() + '\u0000' + ref);
            if (key == null) {
                key = patients.resolve(connection, entry.connectorId(), ref);
                resolved.put(entry.connectorId() + '\u0000' + ref, key);
            }
            key.ifPresent(k -> patientRefs.put(ref, "Patient/" + pseudonyms.of(domain, "patient|" + k)));
        }
        ReferenceMapper references = reference -> {
            String known = patientRefs.get(reference);
            if (known != null) {
                return known;
            }
            String type = new IdType(reference).getResourceType();
            return (type == null ? "Resource" : type) + "/"
                    + pseudonyms.of(domain, "ref|" + entry.connectorId() + "|" + reference);
        };
        return views.build(entry.resource(), permit, new NodeEnforcementContext(pseudonyms, domain, references,
                entry.patientKey().orElseThrow(), viewId, clock));
    }
}
