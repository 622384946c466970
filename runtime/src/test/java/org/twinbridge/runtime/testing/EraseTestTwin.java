package org.twinbridge.runtime.testing;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import org.pf4j.Extension;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.PluginManifest;
import org.twinbridge.sdk.model.TwinOutput;

/**
 * A test plugin, also packaged into a real pf4j jar by the erasure test: it keeps every record it receives in
 * its state store, emits each Observation back as an output, and notes each call (subject only) in the file
 * named by the system property {@value #LOG_PROPERTY}, so a test can see what a copy loaded by pf4j was told.
 */
@Extension
public final class EraseTestTwin implements TwinModel {

    public static final String ID = "erase-twin";
    public static final String LOG_PROPERTY = "twinbridge.test.erase-twin.log";
    /** Subject and JSON of each record received by instances loaded by the test's own class loader. */
    public static final List<List<String>> RECEIVED = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public PluginManifest manifest() {
        return new PluginManifest(ID, "1.0.0", "TwinBridge tests", "keeps what it receives",
                new DataRequest(Set.of("Patient", "Observation"), Set.of(), Set.of("TREAT")),
                List.of(OutputKind.OBSERVATION));
    }

    @Override
    public void onRecord(AuthorisedRecord record, TwinContext context) {
        String json = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(record.resource());
        context.state().put(record.subject(), "last-" + record.resourceType(), json);
        if (record.resourceType().equals("Observation")) {
            context.emit(new TwinOutput(record.subject(), OutputKind.OBSERVATION, record.resource().copy(), "seen"));
        }
        RECEIVED.add(List.of(record.subject(), json));
        note("record " + record.subject());
    }

    @Override
    public void onErase(String subject, TwinContext context) {
        context.state().delete(subject, "last-Observation");
        note("erase " + subject);
    }

    private static void note(String line) {
        String file = System.getProperty(LOG_PROPERTY);
        if (file == null) {
            return;
        }
        try {
            Files.writeString(Path.of(file), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
