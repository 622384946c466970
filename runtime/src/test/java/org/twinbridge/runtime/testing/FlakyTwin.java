package org.twinbridge.runtime.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Observation;
import org.pf4j.Extension;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.PluginManifest;

/**
 * A test plugin, packaged into a real pf4j jar: it counts each Observation it receives in its state store
 * (key {@code seen-<value>}), and throws on every Observation until the file named by the system property
 * {@value #HEALED_PROPERTY} exists, as a plugin with a bug that a vendor later fixes.
 */
@Extension
public final class FlakyTwin implements TwinModel {

    public static final String ID = "flaky-twin";
    public static final String HEALED_PROPERTY = "twinbridge.test.flaky-twin.healed";

    @Override
    public PluginManifest manifest() {
        return new PluginManifest(ID, "1.0.0", "TwinBridge tests", "fails until healed",
                new DataRequest(Set.of("Observation"), Set.of(), Set.of("TREAT")), List.of());
    }

    @Override
    public void onRecord(AuthorisedRecord record, TwinContext context) {
        String value = ((Observation) record.resource()).getValueQuantity().getValue().toPlainString();
        String key = "seen-" + value;
        int before = Integer.parseInt(context.state().get(record.subject(), key).orElse("0"));
        context.state().put(record.subject(), key, Integer.toString(before + 1));
        String healed = System.getProperty(HEALED_PROPERTY);
        if (healed == null || !Files.exists(Path.of(healed))) {
            throw new IllegalStateException("cannot handle value " + value);
        }
    }

    @Override
    public void onErase(String subject, TwinContext context) {
    }
}
