package org.twinbridge.testplugins;

import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Reference;
import org.pf4j.Extension;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.PluginManifest;
import org.twinbridge.sdk.model.TwinOutput;

/** A test plugin, packaged into a real pf4j jar by the tests, that raises one Flag per Observation it receives. */
@Extension
public final class AlertingTwin implements TwinModel {

    public static final String ID = "alerting-twin";

    @Override
    public PluginManifest manifest() {
        return new PluginManifest(ID, "1.0.0", "TwinBridge tests", "raises an alert per observation",
                new DataRequest(Set.of("Observation"), Set.of(), Set.of("TREAT")), List.of(OutputKind.ALERT));
    }

    @Override
    public void onRecord(AuthorisedRecord record, TwinContext context) {
        Flag flag = new Flag();
        flag.setStatus(Flag.FlagStatus.ACTIVE);
        flag.setCode(new CodeableConcept().setText("observation alert"));
        flag.setSubject(new Reference("Patient/" + record.subject()));
        context.emit(new TwinOutput(record.subject(), OutputKind.ALERT, flag, "observation alert"));
    }

    @Override
    public void onErase(String subject, TwinContext context) {
    }
}
