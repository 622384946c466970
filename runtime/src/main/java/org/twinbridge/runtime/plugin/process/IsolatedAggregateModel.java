package org.twinbridge.runtime.plugin.process;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.twinbridge.runtime.deadletter.DeliveryFailure;
import org.twinbridge.runtime.plugin.process.IsolatedTwinModel.PluginStartException;
import org.twinbridge.sdk.AggregateTwinModel;
import org.twinbridge.sdk.internal.host.AggregateMessages;
import org.twinbridge.sdk.internal.host.AggregateProcessFailure;
import org.twinbridge.sdk.internal.host.AggregateProcessMain;
import org.twinbridge.sdk.internal.host.Messages;
import org.twinbridge.sdk.internal.host.Wire;
import org.twinbridge.sdk.model.AggregateTable;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.PluginManifest;

/**
 * The site's stand-in for an aggregate plugin that runs in its own sandboxed process. Each task gets a fresh
 * process (so nothing of one task's records survives into the next): it is started, sent the task's authorised
 * views and parameters in one exchange, and stopped. Its table comes back through {@link AggregateMessages}; the
 * caller still applies disclosure control and its row-level checks, since a table that decodes is not trusted.
 *
 * <p>A process that cannot start, exits, does not answer within the batch timeout, exceeds its memory limit, or
 * answers with a malformed or oversized frame is killed, and {@link #aggregate} throws an
 * {@link AggregateProcessFailure} saying which. Calls are serialised.
 */
public final class IsolatedAggregateModel implements AggregateTwinModel {

    private static final Pattern CLASS_NAME = Pattern.compile("[A-Za-z0-9_.$]{1,200}");
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);
    private final PluginLaunch launch;
    private final PluginManifest manifest;
    private final IParser json = FhirContext.forR4Cached().newJsonParser();
    private long nextExchange = 1;

    private IsolatedAggregateModel(PluginLaunch launch, PluginManifest manifest) {
        this.launch = launch;
        this.manifest = manifest;
    }

    /**
     * Starts the plugin's process once to read its manifest, then stops it.
     *
     * @throws PluginStartException if it does not start, or its manifest id differs from the jar's Plugin-Id
     */
    public static IsolatedAggregateModel start(PluginLaunch launch) throws PluginStartException {
        PluginProcess.Started started;
        try {
            started = begin(launch);
        } catch (PluginProcess.ProcessFailure e) {
            throw new PluginStartException(e.getMessage());
        }
        started.process().shutdown(SHUTDOWN_GRACE);
        if (!started.hello().manifest().id().equals(launch.pluginId())) {
            throw new PluginStartException("TB-PLUGIN-002 manifest id '" + started.hello().manifest().id()
                    + "' differs from the jar's Plugin-Id");
        }
        return new IsolatedAggregateModel(launch, started.hello().manifest());
    }

    private static PluginProcess.Started begin(PluginLaunch launch) throws PluginProcess.ProcessFailure {
        return PluginProcess.start(launch.command(AggregateProcessMain.class.getName()), launch.workDir(),
                launch.limits().startTimeout(), launch.limits().maxOutputBytes());
    }

    @Override
    public PluginManifest manifest() {
        return manifest;
    }

    /** How the process is confined, for the site's log. */
    public String sandbox() {
        return launch.sandbox().describe();
    }

    @Override
    public synchronized AggregateTable aggregate(List<AuthorisedRecord> records, Map<String, String> parameters)
            throws AggregateProcessFailure {
        List<Messages.Deliver> views = new ArrayList<>();
        for (AuthorisedRecord r : records) {
            views.add(new Messages.Deliver(r.receiptId(), r.subject(), r.category(),
                    r.effectiveTime().map(Instant::toEpochMilli), r.policyVersion(),
                    json.encodeResourceToString(r.resource())));
        }
        AggregateMessages.Request request = new AggregateMessages.Request(nextExchange++, views, parameters);
        PluginProcess process;
        try {
            PluginProcess.Started started = begin(launch);
            process = started.process();
            if (!started.hello().manifest().id().equals(manifest.id())) {
                process.kill(DeliveryFailure.Kind.PROTOCOL_VIOLATION);
                throw new AggregateProcessFailure(AggregateProcessFailure.Kind.NOT_STARTED, "it holds another plugin");
            }
        } catch (PluginProcess.ProcessFailure e) {
            throw new AggregateProcessFailure(AggregateProcessFailure.Kind.NOT_STARTED, "");
        }
        try {
            return answer(process, request);
        } finally {
            process.shutdown(SHUTDOWN_GRACE);
        }
    }

    private AggregateTable answer(PluginProcess process, AggregateMessages.Request request)
            throws AggregateProcessFailure {
        byte[] frame;
        try {
            frame = process.exchangeFrame(request.encode(), launch.limits().batchTimeout(),
                    (long) launch.limits().maxRssMb() << 20);
        } catch (PluginProcess.ProcessFailure e) {
            throw new AggregateProcessFailure(kindOf(e), "");
        }
        AggregateMessages.Answer answer;
        try {
            answer = AggregateMessages.Answer.decode(frame);
        } catch (Wire.ProtocolException e) {
            process.kill(DeliveryFailure.Kind.PROTOCOL_VIOLATION);
            throw new AggregateProcessFailure(AggregateProcessFailure.Kind.MALFORMED, "");
        }
        if (answer.exchangeId() != request.exchangeId()) {
            process.kill(DeliveryFailure.Kind.PROTOCOL_VIOLATION);
            throw new AggregateProcessFailure(AggregateProcessFailure.Kind.MALFORMED, "it answered another task");
        }
        if (answer.errorClass().isPresent()) {
            String name = answer.errorClass().get();
            throw new AggregateProcessFailure(AggregateProcessFailure.Kind.PLUGIN_FAILED,
                    CLASS_NAME.matcher(name).matches() ? name.substring(name.lastIndexOf('.') + 1) : "an unnamed class");
        }
        return answer.table().orElseThrow();
    }

    private static AggregateProcessFailure.Kind kindOf(PluginProcess.ProcessFailure e) {
        if (e.oversized()) {
            return AggregateProcessFailure.Kind.OVERSIZED;
        }
        switch (e.kind()) {
            case PROCESS_TIMEOUT:
                return AggregateProcessFailure.Kind.TIMEOUT;
            case PROCESS_OUT_OF_MEMORY:
                return AggregateProcessFailure.Kind.OUT_OF_MEMORY;
            case PROTOCOL_VIOLATION:
                return AggregateProcessFailure.Kind.MALFORMED;
            default:
                return AggregateProcessFailure.Kind.CRASHED;
        }
    }

    @Override
    public String toString() {
        return "IsolatedAggregateModel[" + manifest.id() + "]";
    }
}
