package org.twinbridge.runtime.journal;

import java.util.Objects;
import java.time.Clock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DeviceUseStatement;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.runtime.crypto.Pseudonyms;

/**
 * The device registry: which patient each device is bound to now, learnt from journalled records.
 *
 * <ul>
 *   <li>A {@code Device} whose {@code patient} links binds every identity of the device (its identifiers, and its
 *       id in its connector) to that patient, unless its status is inactive or entered-in-error.</li>
 *   <li>An active {@code DeviceUseStatement} binds the device it references to its subject.</li>
 *   <li>The MQTT connector's configured bindings arrive as such Devices.</li>
 * </ul>
 *
 * A device identity is {@code dev|system|value} for an identifier (global, like patient identifiers) or
 * {@code local|connector|Device/id} for a literal reference (scoped to the connector). Identities are stored as
 * keyed hashes only. The newest binding of an identity wins. Runs in the caller's transaction.
 */
public final class DeviceRegistry {

    private final Clock clock;

    private static final String DOMAIN = "device-identifier";
    private final Pseudonyms hashes;

    public DeviceRegistry(Pseudonyms hashes, Clock clock) {
        this.hashes = hashes;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether the record is a device reading with no subject at all, which only a device binding can link. */
    static boolean isUnattributedReading(Resource resource) {
        Property subject = resource.getNamedProperty("subject");
        return subject != null && !subject.hasValues() && !deviceIdentities("", resource).isEmpty();
    }

    /** The hashed identities of the device a reading names in its {@code device} element. */
    List<String> readingDevices(String connectorId, Resource resource) {
        return deviceIdentities(connectorId, resource).stream().map(id -> hashes.hash(DOMAIN, id)).toList();
    }

    /** The patient the first bound device of these identities belongs to. */
    Optional<String> patientOf(Connection c, List<String> deviceHashes) throws SQLException {
        return patientOf(c, deviceHashes, new LinkCache());
    }

    /** As {@link #patientOf(Connection, List)}, asking the database once per transaction for the same devices. */
    Optional<String> patientOf(Connection c, List<String> deviceHashes, LinkCache cache) throws SQLException {
        if (cache.knowsDevices(deviceHashes)) {
            return cache.deviceOwner(deviceHashes);
        }
        Optional<String> owner = lookUpPatientOf(c, deviceHashes);
        cache.deviceOwner(deviceHashes, owner);
        return owner;
    }

    private static Optional<String> lookUpPatientOf(Connection c, List<String> deviceHashes) throws SQLException {
        for (String hash : deviceHashes) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT patient_key FROM device_binding WHERE device_hash = ?")) {
                ps.setString(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return Optional.of(rs.getString(1));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Records the binding a journalled Device or DeviceUseStatement states, if any.
     *
     * @return the hashed device identities now bound to {@code patientKey}; empty if the record binds nothing
     */
    List<String> bind(Connection c, String connectorId, Resource resource, Optional<String> patientKey)
            throws SQLException {
        if (patientKey.isEmpty()) {
            return List.of();
        }
        Set<String> identities = new LinkedHashSet<>();
        if (resource instanceof Device device && device.hasPatient()
                && device.getStatus() != Device.FHIRDeviceStatus.INACTIVE
                && device.getStatus() != Device.FHIRDeviceStatus.ENTEREDINERROR) {
            if (device.getIdElement().hasIdPart()) {
                identities.add(local(connectorId, "Device/" + device.getIdElement().getIdPart()));
            }
            for (Identifier identifier : device.getIdentifier()) {
                if (identifier.hasSystem() && identifier.hasValue()) {
                    identities.add(global(identifier));
                }
            }
        } else if (resource instanceof DeviceUseStatement use
                && use.getStatus() == DeviceUseStatement.DeviceUseStatementStatus.ACTIVE && use.hasDevice()) {
            identities.addAll(identities(connectorId, use.getDevice()));
        }
        List<String> hashed = identities.stream().map(id -> hashes.hash(DOMAIN, id)).toList();
        for (String hash : hashed) {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM device_binding WHERE device_hash = ?")) {
                delete.setString(1, hash);
                delete.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO device_binding (device_hash, patient_key, "
                    + "source_connector, bound_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, hash);
                insert.setString(2, patientKey.get());
                insert.setString(3, connectorId);
                insert.setTimestamp(4, Timestamp.from(clock.instant()));
                insert.executeUpdate();
            }
        }
        return hashed;
    }

    private static Set<String> deviceIdentities(String connectorId, Resource resource) {
        Property property = resource.getNamedProperty("device");
        Set<String> ids = new LinkedHashSet<>();
        if (property != null) {
            for (Base value : property.getValues()) {
                if (value instanceof Reference ref) {
                    ids.addAll(identities(connectorId, ref));
                }
            }
        }
        return ids;
    }

    private static Set<String> identities(String connectorId, Reference ref) {
        Set<String> ids = new LinkedHashSet<>();
        if (ref.hasReference() && "Device".equals(ref.getReferenceElement().getResourceType())) {
            ids.add(local(connectorId, "Device/" + ref.getReferenceElement().getIdPart()));
        }
        if (ref.hasIdentifier() && ref.getIdentifier().hasSystem() && ref.getIdentifier().hasValue()) {
            ids.add(global(ref.getIdentifier()));
        }
        return ids;
    }

    private static String global(Identifier identifier) {
        return "dev|" + identifier.getSystem() + "|" + identifier.getValue();
    }

    private static String local(String connectorId, String reference) {
        return "local|" + connectorId + "|" + reference;
    }
}
