package org.twinbridge.sdk.testing;

import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.CodeFilter;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.PluginManifest;
import org.twinbridge.sdk.model.TwinOutput;

/**
 * A tiny twin for the harness's own tests: counts a subject's observations, remembers the last value and emits
 * the running count. It records what it saw, so tests can check the view, and throws on a value of 999 after
 * writing state, so tests can check that a failed delivery keeps nothing.
 */
final class PulseTwin implements TwinModel {

    final java.util.List<AuthorisedRecord> seen = new java.util.ArrayList<>();
    final java.util.List<String> erased = new java.util.ArrayList<>();

    @Override
    public PluginManifest manifest() {
        return new PluginManifest("pulse-twin", "1.0.0", "Harness tests", "Counts heart rates and temperatures.",
                new DataRequest(Set.of("Observation"), Set.of(CodeFilter.loinc("8867-4"), CodeFilter.loinc("8310-5")),
                        Set.of("TREAT")), List.of(OutputKind.OBSERVATION));
    }

    @Override
    public void onRecord(AuthorisedRecord record, TwinContext context) {
        seen.add(record);
        Observation in = (Observation) record.resource();
        int count = context.state().get(record.subject(), "count").map(Integer::parseInt).orElse(0) + 1;
        context.state().put(record.subject(), "count", Integer.toString(count));
        context.state().put(record.subject(), "last", in.getValueQuantity().getValue().toPlainString());
        if (in.getValueQuantity().getValue().intValue() == 999) {
            throw new IllegalStateException("implausible value");
        }
        Observation out = new Observation();
        out.setStatus(Observation.ObservationStatus.FINAL);
        out.setCode(new CodeableConcept().setText("observations seen"));
        out.setSubject(new Reference("Patient/" + record.subject()));
        out.setValue(new Quantity(count));
        context.emit(new TwinOutput(record.subject(), OutputKind.OBSERVATION, out, "count " + count));
    }

    @Override
    public void onErase(String subject, TwinContext context) {
        erased.add(subject);
    }
}
