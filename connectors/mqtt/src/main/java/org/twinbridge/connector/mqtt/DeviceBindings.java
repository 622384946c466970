package org.twinbridge.connector.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * The configured device bindings as FHIR Device records: one Device per configured device, identified by
 * {@code device-id-system|<device id>} and pointing at its patient by identifier. Journalled like any other
 * record, they feed the node's device registry exactly as a Device from the EHR does, and they make every
 * binding part of the journal's history. The same binding journals to the same record id, so re-sending them
 * changes nothing; an edited binding is a new record and wins from then on.
 */
final class DeviceBindings {

    private DeviceBindings() {
    }

    static List<CanonicalRecord> records(String connectorId, MqttSettings settings) {
        List<CanonicalRecord> records = new ArrayList<>();
        for (Map.Entry<String, MqttSettings.PatientRef> binding : settings.bindings().entrySet()) {
            Device device = new Device();
            device.setStatus(Device.FHIRDeviceStatus.ACTIVE);
            device.addIdentifier(new Identifier().setSystem(settings.deviceSystem()).setValue(binding.getKey()));
            device.setPatient(new Reference().setType("Patient").setIdentifier(new Identifier()
                    .setSystem(binding.getValue().system()).setValue(binding.getValue().value())));
            records.add(CanonicalRecord.of(connectorId, "binding/" + binding.getKey(), device));
        }
        return records;
    }
}
