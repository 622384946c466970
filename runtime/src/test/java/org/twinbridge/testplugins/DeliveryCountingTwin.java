package org.twinbridge.testplugins;

import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.PluginManifest;

/**
 * The body of the counting test plugins, packaged into real pf4j jars by the reliability tests (with each concrete
 * subclass, see {@code PluginJars}): counts how often each record was delivered, in the plugin's own state store
 * (committed with its cursor): key {@code type|code|id} (the id is the pseudonymous view id the plugin sees), value
 * the count. Asks for Observations and DiagnosticReports; what it actually receives is up to the node's policy.
 */
public abstract class DeliveryCountingTwin implements TwinModel {

    private final String id;

    /** @param id the plugin id, which is also the recipient the node's policy names */
    protected DeliveryCountingTwin(String id) {
        this.id = id;
    }

    @Override
    public final PluginManifest manifest() {
        return new PluginManifest(id, "1.0.0", "TwinBridge tests", "counts deliveries per record",
                new DataRequest(Set.of("Observation", "DiagnosticReport"), Set.of(), Set.of("TREAT")),
                List.of(OutputKind.OBSERVATION));
    }

    @Override
    public final void onRecord(AuthorisedRecord record, TwinContext context) {
        String key = key(record);
        int count = context.state().get(record.subject(), key).map(Integer::parseInt).orElse(0);
        context.state().put(record.subject(), key, Integer.toString(count + 1));
    }

    /** {@code type|first code|view id}. */
    public static String key(AuthorisedRecord record) {
        org.hl7.fhir.r4.model.Base code = record.resource().getNamedProperty("code") == null ? null
                : record.resource().getNamedProperty("code").getValues().stream().findFirst().orElse(null);
        String codeText = code instanceof CodeableConcept cc && cc.hasCoding() ? cc.getCodingFirstRep().getCode() : "";
        return record.resourceType() + "|" + codeText + "|" + record.resource().getIdElement().getIdPart();
    }

    @Override
    public final void onErase(String subject, TwinContext context) {
    }
}
