package org.twinbridge.runtime.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * A slow test plugin, packaged into a real pf4j jar: each delivery sleeps until the file named by
 * {@value #GATE_PROPERTY} exists, then appends the Observation's value to the file named by
 * {@value #LOG_PROPERTY}, so a test sees what arrived and in which order.
 */
@Extension
public final class GatedTwin implements TwinModel {

    public static final String ID = "gated-twin";
    public static final String GATE_PROPERTY = "twinbridge.test.gated-twin.gate";
    public static final String LOG_PROPERTY = "twinbridge.test.gated-twin.log";

    @Override
    public PluginManifest manifest() {
        return new PluginManifest(ID, "1.0.0", "TwinBridge tests", "slow until the gate opens",
                new DataRequest(Set.of("Observation"), Set.of(), Set.of("TREAT")), List.of());
    }

    @Override
    public void onRecord(AuthorisedRecord record, TwinContext context) {
        Path gate = Path.of(System.getProperty(GATE_PROPERTY));
        try {
            while (!Files.exists(gate)) {
                Thread.sleep(20);
            }
            Files.writeString(Path.of(System.getProperty(LOG_PROPERTY)),
                    ((Observation) record.resource()).getValueQuantity().getValue().toPlainString() + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void onErase(String subject, TwinContext context) {
    }
}
