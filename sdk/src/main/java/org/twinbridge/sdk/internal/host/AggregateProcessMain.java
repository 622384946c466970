package org.twinbridge.sdk.internal.host;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.sdk.AggregateTwinModel;
import org.twinbridge.sdk.model.AggregateTable;
import org.twinbridge.sdk.model.AuthorisedRecord;

/**
 * The entry point of an aggregate plugin's process: {@code java -cp <sdk and its libraries> ...AggregateProcessMain
 * <plugin.jar>}. Loads the jar through pf4j exactly as {@link PluginProcessMain} does, finds its single
 * {@link AggregateTwinModel}, greets the node with the manifest, then answers each {@link AggregateMessages.Request}
 * with one {@link AggregateMessages.Answer} until the node says shutdown or closes stdin. The protocol owns the real
 * stdout; {@code System.out} goes to stderr.
 */
public final class AggregateProcessMain {

    private AggregateProcessMain() {
    }

    public static void main(String[] args) throws IOException {
        PluginProcessMain.Protocol protocol = PluginProcessMain.Protocol.takeOver();
        OutputStream protocolOut = protocol.out();
        InputStream protocolIn = protocol.in();
        if (args.length != 1) {
            PluginProcessMain.fatal(protocolOut, "TB-PLUGIN-032 usage: AggregateProcessMain <plugin.jar>");
            return;
        }
        Optional<PluginProcessMain.Loaded<AggregateTwinModel>> loaded = PluginProcessMain.load(Path.of(args[0]),
                AggregateTwinModel.class, AggregateTwinModel::manifest, protocolOut);
        if (loaded.isEmpty()) {
            return;
        }
        AggregateTwinModel model = loaded.get().model();
        Wire.writeFrame(protocolOut, new Messages.Hello(Wire.VERSION, loaded.get().manifest()).encode());
        IParser json = FhirContext.forR4Cached().newJsonParser();
        try {
            while (true) {
                byte[] frame = Wire.readFrame(protocolIn, PluginProcessMain.MAX_INBOUND_FRAME);
                if (Messages.type(frame) == Wire.SHUTDOWN) {
                    break;
                }
                AggregateMessages.Request request = AggregateMessages.Request.decode(frame);
                Wire.writeFrame(protocolOut, run(model, json, request).encode());
            }
        } catch (EOFException nodeWentAway) {
            // The node closed the pipe: nothing more to do.
        } finally {
            loaded.get().manager().stopPlugins();
        }
        System.exit(0);
    }

    private static AggregateMessages.Answer run(AggregateTwinModel model, IParser json,
            AggregateMessages.Request request) {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(model.getClass().getClassLoader());
        try {
            List<AuthorisedRecord> records = new ArrayList<>();
            for (Messages.Deliver d : request.records()) {
                records.add(new AuthorisedRecord(d.subject(), (Resource) json.parseResource(d.resourceJson()),
                        d.category(), d.effectiveEpochMillis().map(Instant::ofEpochMilli), d.receiptId(),
                        d.policyVersion()));
            }
            AggregateTable table = model.aggregate(List.copyOf(records), request.parameters());
            if (table == null) {
                return failed(request, NullPointerException.class.getName());
            }
            return new AggregateMessages.Answer(request.exchangeId(), Optional.of(table), Optional.empty());
        } catch (Exception | LinkageError | StackOverflowError e) {
            // The class name only: a message may quote a record.
            return failed(request, e.getClass().getName());
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private static AggregateMessages.Answer failed(AggregateMessages.Request request, String errorClass) {
        return new AggregateMessages.Answer(request.exchangeId(), Optional.empty(), Optional.of(errorClass));
    }
}
