package org.twinbridge.consent.jdbc;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.hl7.fhir.r4.model.Consent;
import org.twinbridge.consent.model.RegisteredConsent;

/**
 * The consent registry in the {@code consent_version} table (Flyway migration V4 of the runtime), on SQLite or
 * PostgreSQL. Consents are kept per internal patient key and per source ({@code connector id} or
 * {@code import}), encrypted with the node's cipher and bound to their row. A change is a new version row;
 * rows are never updated. Every method works in the caller's transaction.
 */
public final class JdbcConsentRegistry {

    private final FhirContext fhir;
    private final PayloadCipher cipher;
    private final Clock clock;

    public JdbcConsentRegistry(FhirContext fhir, PayloadCipher cipher, Clock clock) {
        this.fhir = Objects.requireNonNull(fhir, "fhir");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Stores a consent as the patient's current version of {@code source}'s {@code Consent/<id>}, unless it is
     * identical to the current version (server bookkeeping in {@code meta} aside).
     *
     * @throws IllegalArgumentException if the consent has no logical id (it could not be versioned)
     */
    public StoreOutcome store(Connection c, String patientKey, String source, Consent consent) throws SQLException {
        if (!consent.getIdElement().hasIdPart()) {
            throw new IllegalArgumentException("TB-CONSENT-005 a Consent without an id cannot be versioned");
        }
        String consentId = "Consent/" + consent.getIdElement().getIdPart();
        Consent copy = consent.copy();
        copy.setIdElement(consent.getIdElement().toUnqualifiedVersionless());
        if (copy.hasMeta()) {
            copy.getMeta().setVersionIdElement(null).setLastUpdatedElement(null);
        }
        byte[] json = fhir.newJsonParser().encodeResourceToString(copy).getBytes(StandardCharsets.UTF_8);
        String hash = contentHash(patientKey, json);
        String status = consent.getStatus() == null ? "unknown" : consent.getStatus().toCode();
        int latest = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT version, content_hash FROM consent_version "
                + "WHERE source = ? AND consent_id = ? ORDER BY version DESC")) {
            ps.setString(1, source);
            ps.setString(2, consentId);
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    latest = rs.getInt(1);
                    if (rs.getString(2).equals(hash)) {
                        return new StoreOutcome(consentId, latest, false, status);
                    }
                }
            }
        }
        int version = latest + 1;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO consent_version (patient_key, source, consent_id, "
                + "version, status, content_hash, key_id, payload, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, patientKey);
            ps.setString(2, source);
            ps.setString(3, consentId);
            ps.setInt(4, version);
            ps.setString(5, status.length() <= 32 ? status : status.substring(0, 32));
            ps.setString(6, hash);
            ps.setString(7, cipher.keyId());
            ps.setBytes(8, cipher.seal(json, aad(patientKey, source, consentId, version)));
            ps.setTimestamp(9, Timestamp.from(clock.instant()));
            ps.executeUpdate();
        }
        return new StoreOutcome(consentId, version, true, status);
    }

    /** The current version of each consent whose current version belongs to the patient, oldest first. */
    public List<RegisteredConsent> current(Connection c, String patientKey) throws SQLException {
        List<RegisteredConsent> consents = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT v.source, v.consent_id, v.version, v.payload "
                + "FROM consent_version v WHERE v.patient_key = ? AND v.version = (SELECT MAX(w.version) "
                + "FROM consent_version w WHERE w.source = v.source AND w.consent_id = v.consent_id) ORDER BY v.seq")) {
            ps.setString(1, patientKey);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String source = rs.getString(1);
                    String consentId = rs.getString(2);
                    int version = rs.getInt(3);
                    byte[] json = cipher.open(rs.getBytes(4), aad(patientKey, source, consentId, version));
                    Consent consent = fhir.newJsonParser().parseResource(Consent.class,
                            new String(json, StandardCharsets.UTF_8));
                    consents.add(new RegisteredConsent(source, consentId, version, consent));
                }
            }
        }
        return consents;
    }

    /** Every stored version of one of the patient's consents ({@code Consent/<id>}), by source, oldest first. */
    public List<RegisteredConsent> history(Connection c, String patientKey, String consentId) throws SQLException {
        List<RegisteredConsent> versions = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT source, consent_id, version, payload FROM consent_version "
                + "WHERE patient_key = ? AND consent_id = ? ORDER BY source, version")) {
            ps.setString(1, patientKey);
            ps.setString(2, consentId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String source = rs.getString(1);
                    int version = rs.getInt(3);
                    byte[] json = cipher.open(rs.getBytes(4), aad(patientKey, source, consentId, version));
                    versions.add(new RegisteredConsent(source, consentId, version, fhir.newJsonParser()
                            .parseResource(Consent.class, new String(json, StandardCharsets.UTF_8))));
                }
            }
        }
        return versions;
    }

    /** How many version rows the patient has, current or not. */
    public int versionCount(Connection c, String patientKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM consent_version WHERE patient_key = ?")) {
            ps.setString(1, patientKey);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Deletes every version of every consent stored for the patient; returns how many rows went. */
    public int erase(Connection c, String patientKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM consent_version WHERE patient_key = ?")) {
            ps.setString(1, patientKey);
            return ps.executeUpdate();
        }
    }

    private static String aad(String patientKey, String source, String consentId, int version) {
        return "consent|" + patientKey + "|" + source + "|" + consentId + "|" + version;
    }

    private static String contentHash(String patientKey, byte[] json) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(patientKey.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(json);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "JdbcConsentRegistry[key=" + cipher.keyId() + "]";
    }
}
