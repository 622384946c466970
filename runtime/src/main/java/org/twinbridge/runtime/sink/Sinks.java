package org.twinbridge.runtime.sink;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.twinbridge.runtime.audit.AuditTrail;
import org.twinbridge.runtime.config.ConfigException;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.config.SecretRef;
import org.twinbridge.runtime.crypto.DataKeys;
import org.twinbridge.runtime.journal.JdbcJournal;
import org.twinbridge.runtime.journal.PatientIndex;
import org.twinbridge.runtime.storage.Database;

/** Builds a node's sink workers from its configuration. */
public final class Sinks {

    private Sinks() {
    }

    /**
     * One worker per configured sink.
     *
     * @param pluginPurposes each loaded plugin's purpose of use; decides, with the sink's, who is re-identified
     * @throws ConfigException if a sink's token cannot be read
     */
    public static List<SinkWorker> workers(NodeConfig config, Database db, DataKeys keys, JdbcJournal journal,
            PatientIndex patients, Map<String, String> pluginPurposes, AuditTrail audit, Clock clock)
            throws ConfigException, java.sql.SQLException {
        Reidentifier reidentifier = new Reidentifier(journal, patients);
        List<SinkWorker> workers = new ArrayList<>();
        for (NodeConfig.Sink sink : config.sinks()) {
            SinkWorker worker = new SinkWorker(sink, create(sink, config.node().id()), config.node().id(), db, keys,
                    reidentifier, pluginPurposes, audit, clock);
            worker.place();
            workers.add(worker);
        }
        return workers;
    }

    static Sink create(NodeConfig.Sink sink, String nodeId) throws ConfigException {
        Optional<String> token = Optional.empty();
        if (sink.token().isPresent()) {
            SecretRef ref = sink.token().get();
            char[] secret = ref.reveal();
            token = Optional.of(new String(secret));
            Arrays.fill(secret, '\0');
        }
        return switch (sink.type()) {
            case "log" -> new LogSink(sink.id());
            case "webhook" -> new WebhookSink(URI.create(sink.target().orElseThrow()), token, sink.timeout());
            case "fhir" -> new FhirWriteBackSink(sink.target().orElseThrow(), token, sink.timeout());
            case "mqtt" -> new MqttAlertSink(sink.target().orElseThrow(), sink.topic().orElseThrow(),
                    "twinbridge-" + nodeId + "-sink-" + sink.id(), sink.timeout());
            default -> throw new IllegalArgumentException("TB-SINK-004 unknown sink type " + sink.type());
        };
    }
}
