package org.twinbridge.runtime.journal;

import java.util.Objects;
import java.time.Clock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.runtime.crypto.Pseudonyms;

/**
 * The master patient index: resolves every record to an internal patient key that never leaves the node.
 * Identifiers are stored only as keyed hashes. A Patient links through its source-local id and its business
 * identifiers (system + value); other resources link through their {@code subject} or {@code patient}
 * reference, scoped to the connector they came from, or through a logical reference to a Patient identifier.
 *
 * <p><b>Merges.</b> A Patient whose {@code link} says it is {@code replaced-by} another Patient of the same
 * source (what the HL7 v2 connector emits for ADT^A40, and what a FHIR server sends for a merged record) merges
 * its patient into the survivor's, in the journal's transaction:
 * <ul>
 *   <li>every identifier that resolved to the replaced patient's key, from any connector, and every identifier
 *       of the replaced Patient resource, resolves to the surviving key from then on;</li>
 *   <li>the replaced key is retired and recorded in {@code patient_merge} against the surviving key, and
 *       {@link #current} maps it there (chains are kept flat);</li>
 *   <li>records journalled before the merge keep the key they were stored with: the journal is append-only;</li>
 *   <li>a survivor not seen before is created; merging a patient into itself, or back into a patient it
 *       absorbed (they share one key by then), changes nothing. An unmerge is not supported.</li>
 * </ul>
 */
public final class PatientIndex {

    private final Clock clock;

    private static final String DOMAIN = "patient-identifier";
    /** Identifier system prefix naming a connector's own patient ids, e.g. {@code urn:twinbridge:source:ehr}. */
    public static final String SOURCE_SYSTEM = "urn:twinbridge:source:";
    private final Pseudonyms hashes;

    public PatientIndex(Pseudonyms hashes, Clock clock) {
        this.hashes = hashes;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Links the record's patient, creating the patient on first sight, and performs the merge a replaced-by
     * Patient asks for. Runs in the caller's transaction.
     */
    public Optional<String> link(Connection c, String connectorId, Resource resource) throws SQLException {
        return link(c, connectorId, resource, new LinkCache());
    }

    /**
     * As {@link #link(Connection, String, Resource)}, remembering in {@code cache} what this transaction learnt:
     * a record whose identifiers all resolved in the same transaction already needs no query.
     */
    Optional<String> link(Connection c, String connectorId, Resource resource, LinkCache cache) throws SQLException {
        if (resource instanceof Patient patient) {
            Optional<String> survivor = replacedBy(patient);
            if (survivor.isPresent()) {
                cache.patientsChanged();
                return Optional.of(merge(c, connectorId, patient, survivor.get()));
            }
        }
        Set<String> identifiers = identifiers(connectorId, resource);
        if (identifiers.isEmpty()) {
            return Optional.empty();
        }
        List<String> hashed = identifiers.stream().map(id -> hashes.hash(DOMAIN, id)).toList();
        Optional<String> known = cache.patient(hashed);
        if (known.isPresent()) {
            // Every identifier is stored for this key already, so linking again would find it and store nothing.
            return known;
        }
        String patientKey = linkHashes(c, hashed);
        if (hashed.size() == 1) {
            // With one identifier the link is exact; with several, some may still point at an older patient.
            cache.linked(hashed.get(0), patientKey);
        }
        return Optional.of(patientKey);
    }

    /** The key that stands for this patient now: the surviving key if it was merged, else the key itself. */
    public String current(Connection c, String patientKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT surviving_key FROM patient_merge WHERE merged_key = ?")) {
            ps.setString(1, patientKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : patientKey;
            }
        }
    }

    private String merge(Connection c, String connectorId, Patient replaced, String survivorReference)
            throws SQLException {
        String survivor = linkHashes(c, List.of(hashes.hash(DOMAIN, local(connectorId, survivorReference))));
        List<String> hashed = identifiers(connectorId, replaced).stream().map(id -> hashes.hash(DOMAIN, id)).toList();
        Set<String> retired = new LinkedHashSet<>();
        for (String hash : hashed) {
            find(c, List.of(hash)).filter(key -> !key.equals(survivor)).ifPresent(retired::add);
        }
        Timestamp now = Timestamp.from(clock.instant());
        for (String key : retired) {
            update(c, "UPDATE patient_identifier SET patient_key = ? WHERE patient_key = ?", survivor, key);
            update(c, "UPDATE patient_merge SET surviving_key = ? WHERE surviving_key = ?", survivor, key);
            update(c, "DELETE FROM patient_merge WHERE merged_key = ?", key);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO patient_merge (merged_key, surviving_key, merged_at) VALUES (?, ?, ?)")) {
                ps.setString(1, key);
                ps.setString(2, survivor);
                ps.setTimestamp(3, now);
                ps.executeUpdate();
            }
        }
        return linkHashes(c, hashed, survivor);
    }

    private static Optional<String> replacedBy(Patient patient) {
        return patient.getLink().stream()
                .filter(l -> l.getType() == Patient.LinkType.REPLACEDBY && l.getOther().hasReference())
                .map(l -> l.getOther().getReferenceElement())
                .filter(ref -> "Patient".equals(ref.getResourceType()) && ref.hasIdPart())
                .map(ref -> "Patient/" + ref.getIdPart()).findFirst();
    }

    private static void update(Connection c, String sql, String... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setString(i + 1, values[i]);
            }
            ps.executeUpdate();
        }
    }

    /** The key the hashes resolve to (created if none does); every hash not stored yet is stored for it. */
    private String linkHashes(Connection c, List<String> hashed) throws SQLException {
        return linkHashes(c, hashed, null);
    }

    private String linkHashes(Connection c, List<String> hashed, String knownKey) throws SQLException {
        Optional<String> key = knownKey != null ? Optional.of(knownKey) : find(c, hashed);
        String patientKey = key.orElseGet(() -> UUID.randomUUID().toString());
        if (key.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO patient (patient_key, created_at) VALUES (?, ?)")) {
                ps.setString(1, patientKey);
                ps.setTimestamp(2, Timestamp.from(clock.instant()));
                ps.executeUpdate();
            }
        }
        for (String hash : hashed) {
            if (find(c, List.of(hash)).isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO patient_identifier (identifier_hash, patient_key) VALUES (?, ?)")) {
                    ps.setString(1, hash);
                    ps.setString(2, patientKey);
                    ps.executeUpdate();
                }
            }
        }
        return patientKey;
    }

    /** The key a literal {@code Patient/id} reference from this connector resolves to, if known. */
    public Optional<String> resolve(Connection c, String connectorId, String patientReference) throws SQLException {
        return find(c, List.of(hashes.hash(DOMAIN, local(connectorId, patientReference))));
    }

    /** The key a business identifier (system + value) resolves to, if known. */
    public Optional<String> resolveIdentifier(Connection c, String system, String value) throws SQLException {
        return find(c, List.of(hashes.hash(DOMAIN, "id|" + system + "|" + value)));
    }

    /**
     * Forgets a patient, for erasure: removes every identifier hash that links to the key, and the key itself.
     * Records that arrive for the same person later link to a new key.
     *
     * @return how many identifier links were removed
     */
    public int forget(Connection c, String patientKey) throws SQLException {
        int links;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM patient_identifier WHERE patient_key = ?")) {
            ps.setString(1, patientKey);
            links = ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM patient WHERE patient_key = ?")) {
            ps.setString(1, patientKey);
            ps.executeUpdate();
        }
        return links;
    }

    private static Optional<String> find(Connection c, List<String> hashed) throws SQLException {
        // Oldest link wins when identifiers disagree; merges are resolved explicitly (HL7 A40), not guessed.
        StringBuilder sql = new StringBuilder(
                "SELECT i.patient_key FROM patient_identifier i JOIN patient p ON p.patient_key = i.patient_key "
                        + "WHERE i.identifier_hash IN (");
        sql.append("?,".repeat(hashed.size())).setLength(sql.length() - 1);
        sql.append(") ORDER BY p.created_at, p.patient_key");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < hashed.size(); i++) {
                ps.setString(i + 1, hashed.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    static Set<String> identifiers(String connectorId, Resource resource) {
        Set<String> ids = new LinkedHashSet<>();
        if (resource instanceof Patient patient) {
            if (patient.hasIdElement() && patient.getIdElement().hasIdPart()) {
                ids.add(local(connectorId, "Patient/" + patient.getIdElement().getIdPart()));
            }
            for (Identifier identifier : patient.getIdentifier()) {
                if (identifier.hasSystem() && identifier.hasValue()) {
                    ids.add("id|" + identifier.getSystem() + "|" + identifier.getValue());
                }
            }
            return ids;
        }
        for (String name : List.of("subject", "patient")) {
            Property property = resource.getNamedProperty(name);
            List<Base> values = property == null ? List.of() : new ArrayList<>(property.getValues());
            for (Base value : values) {
                if (value instanceof Reference ref && ref.hasReference()
                        && ref.getReferenceElement().getResourceType() != null
                        && ref.getReferenceElement().getResourceType().equals("Patient")) {
                    ids.add(local(connectorId, "Patient/" + ref.getReferenceElement().getIdPart()));
                } else if (value instanceof Reference ref && !ref.hasReference() && ref.hasIdentifier()
                        && (!ref.hasType() || ref.getType().equals("Patient"))) {
                    identifierReference(ref.getIdentifier()).ifPresent(ids::add);
                }
            }
        }
        return ids;
    }

    /**
     * A logical reference ({@code Reference.identifier}) links like the Patient identifier it names. The system
     * {@code urn:twinbridge:source:<connector>} with value {@code Patient/<id>} names a patient by its id in
     * another connector, so that configuration can point at, say, the EHR connector's {@code Patient/123}.
     */
    private static Optional<String> identifierReference(Identifier identifier) {
        if (!identifier.hasSystem() || !identifier.hasValue()) {
            return Optional.empty();
        }
        String system = identifier.getSystem();
        if (system.startsWith(SOURCE_SYSTEM) && identifier.getValue().startsWith("Patient/")) {
            return Optional.of(local(system.substring(SOURCE_SYSTEM.length()), identifier.getValue()));
        }
        return Optional.of("id|" + system + "|" + identifier.getValue());
    }

    private static String local(String connectorId, String reference) {
        return "local|" + connectorId + "|" + reference;
    }
}
