package org.twinbridge.connector.mqtt;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.connector.support.FhirPayloads;
import org.twinbridge.connector.support.PayloadException;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * Turns one MQTT payload into records: detects the format (or enforces the configured one), maps Open mHealth to
 * FHIR, completes device Observations, and stamps each Observation with its device. Every failure is a
 * {@link PayloadException} without content. Thread-safe.
 */
final class PayloadMapper {

    private final String connectorId;
    private final MqttSettings.Format format;
    private final String deviceSystem;
    private final FhirPayloads fhir = new FhirPayloads(FhirContext.forR4Cached());
    private final OpenMHealthMapper openMHealth = new OpenMHealthMapper();

    PayloadMapper(String connectorId, MqttSettings.Format format, String deviceSystem) {
        this.connectorId = connectorId;
        this.format = format;
        this.deviceSystem = deviceSystem;
    }

    /**
     * Maps a payload.
     *
     * @param deviceId the device named by the topic, if the topic names one
     */
    List<CanonicalRecord> map(byte[] payload, Optional<String> deviceId) throws PayloadException {
        JsonNode root = fhir.readTree(payload, 0);
        boolean isFhir = root.isObject() && root.has("resourceType");
        if (format == MqttSettings.Format.FHIR || (format == MqttSettings.Format.AUTO && isFhir)) {
            return fhirRecords(root, deviceId);
        }
        if (format == MqttSettings.Format.AUTO && !OpenMHealthMapper.looksLike(root)) {
            throw new PayloadException("TB-MQTT-031", "neither a FHIR resource (no 'resourceType') nor an Open "
                    + "mHealth data point");
        }
        if (isFhir) {
            throw new PayloadException("TB-MQTT-031", "a FHIR resource arrived but this connector's format is "
                    + "openmhealth");
        }
        return List.of(openMHealthRecord(root, payload, deviceId));
    }

    private CanonicalRecord openMHealthRecord(JsonNode root, byte[] payload, Optional<String> deviceId)
            throws PayloadException {
        if (deviceId.isEmpty()) {
            throw new PayloadException("TB-MQTT-033", "an Open mHealth reading needs a device id, and the topic has "
                    + "no '+' level to take it from; subscribe with a filter like devices/+/vitals");
        }
        OpenMHealthMapper.Mapped mapped = openMHealth.map(root);
        Observation obs = mapped.observation();
        obs.setDevice(deviceReference(deviceId.get()));
        // The data point id when there is one, else the payload's hash: a redelivered message maps to the same
        // record id and is journalled once.
        String sourceId = "omh/" + mapped.dataPointId().orElseGet(() -> "sha256:" + FhirPayloads.sha256(payload));
        obs.setId(readingId(sourceId));
        return new CanonicalRecord(connectorId, sourceId, obs, mapped.unmapped());
    }

    /**
     * The Observation id of an Open mHealth reading: {@code omh-} and 32 hex digits of the SHA-256 of its source id.
     * Stable, so a redelivered reading is the same resource, and distinct per reading, so a twin can tell its
     * readings apart (without an id every reading would reach a plugin under one and the same pseudonymous id).
     */
    static String readingId(String sourceId) {
        return "omh-" + FhirPayloads.sha256(sourceId.getBytes(StandardCharsets.UTF_8))
                .substring(0, 32);
    }

    private List<CanonicalRecord> fhirRecords(JsonNode root, Optional<String> deviceId) throws PayloadException {
        FhirPayloads.Parsed parsed = fhir.parseTree(root);
        List<CanonicalRecord> records = new ArrayList<>();
        for (Resource resource : parsed.resources()) {
            if (resource instanceof Observation obs) {
                DeviceObservations.complete(obs);
                deviceId.ifPresent(id -> stampDevice(obs, id));
            }
        }
        records.addAll(parsed.records(connectorId));
        return records;
    }

    /** Adds the topic's device id to the Observation's device reference, keeping a device the payload names. */
    private void stampDevice(Observation obs, String deviceId) {
        if (!obs.hasDevice()) {
            obs.setDevice(deviceReference(deviceId));
        } else if (!obs.getDevice().hasIdentifier()) {
            obs.getDevice().setIdentifier(new Identifier().setSystem(deviceSystem).setValue(deviceId));
        }
    }

    private Reference deviceReference(String deviceId) {
        return new Reference().setType("Device")
                .setIdentifier(new Identifier().setSystem(deviceSystem).setValue(deviceId));
    }
}
