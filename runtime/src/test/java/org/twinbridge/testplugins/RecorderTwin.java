package org.twinbridge.testplugins;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Observation;
import org.pf4j.Extension;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.PluginManifest;
import org.twinbridge.sdk.model.TwinOutput;

/**
 * A test plugin, packaged into a real pf4j jar by the tests, that reports every delivery it receives as an
 * output: the summary is {@code resourceType|receiptId|policyVersion} and the Observation's value is the exact
 * JSON it was given. It can talk to the tests only through the SDK, like any plugin.
 */
@Extension
public final class RecorderTwin implements TwinModel {

    public static final String ID = "recorder-twin";

    @Override
    public PluginManifest manifest() {
        return new PluginManifest(ID, "1.0.0", "TwinBridge tests", "records deliveries",
                new DataRequest(Set.of("Patient", "Observation"), Set.of(), Set.of("TREAT")),
                List.of(OutputKind.OBSERVATION));
    }

    @Override
    public void onRecord(AuthorisedRecord record, TwinContext context) {
        String json = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(record.resource());
        Observation report = new Observation();
        report.setStatus(Observation.ObservationStatus.FINAL);
        report.getCode().setText("delivery received");
        report.setValue(new org.hl7.fhir.r4.model.StringType(json));
        context.emit(new TwinOutput(record.subject(), OutputKind.OBSERVATION, report,
                record.resourceType() + "|" + record.receiptId() + "|" + record.policyVersion()));
    }

    @Override
    public void onErase(String subject, TwinContext context) {
    }
}
