package org.twinbridge.testplugins.misbehaving;

import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Observation;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.PluginManifest;

/**
 * The body of the misbehaving test plugins: counts each Observation in its state (key {@code seen|<view id>}),
 * except an Observation whose value is {@value #POISON}, on which the subclass misbehaves: crashes its process,
 * hangs, or eats memory.
 */
public abstract class PoisonableTwin implements TwinModel {

    public static final int POISON = 13;
    private final String id;

    protected PoisonableTwin(String id) {
        this.id = id;
    }

    @Override
    public final PluginManifest manifest() {
        return new PluginManifest(id, "1.0.0", "TwinBridge tests", "misbehaves on a poison value",
                new DataRequest(Set.of("Observation"), Set.of(), Set.of("TREAT")), List.of(OutputKind.OBSERVATION));
    }

    @Override
    public final void onRecord(AuthorisedRecord record, TwinContext context) throws Exception {
        if (record.resource() instanceof Observation o && o.hasValueQuantity()
                && o.getValueQuantity().getValue().intValue() == POISON) {
            misbehave();
        }
        context.state().put(record.subject(), "seen|" + record.resource().getIdElement().getIdPart(), "1");
    }

    /** What the plugin does to the poison record. */
    protected abstract void misbehave() throws Exception;

    @Override
    public final void onErase(String subject, TwinContext context) {
    }
}
