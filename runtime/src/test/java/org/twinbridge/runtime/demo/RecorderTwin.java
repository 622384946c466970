package org.twinbridge.runtime.demo;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import java.util.Set;
import org.pf4j.Extension;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.PluginManifest;

/** A test plugin, packaged into a real pf4j jar by the test, that records every delivery it receives. */
@Extension
public final class RecorderTwin implements TwinModel {

    @Override
    public PluginManifest manifest() {
        return new PluginManifest("recorder-twin", "1.0.0", "TwinBridge tests", "records deliveries",
                new DataRequest(Set.of("Patient", "Observation"), Set.of(), Set.of("TREAT")), List.of());
    }

    @Override
    public void onRecord(AuthorisedRecord record, TwinContext context) {
        String json = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(record.resource());
        RecordedDeliveries.RECEIVED.add(new RecordedDeliveries.Delivery(record.subject(), record.resourceType(), json,
                record.receiptId(), record.policyVersion()));
    }

    @Override
    public void onErase(String subject, TwinContext context) {
    }
}
