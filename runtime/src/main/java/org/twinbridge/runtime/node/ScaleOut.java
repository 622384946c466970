package org.twinbridge.runtime.node;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.twinbridge.runtime.assembly.NodeAssembly;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.dispatch.Subscriber;
import org.twinbridge.runtime.journal.KafkaEntries;
import org.twinbridge.runtime.journal.KafkaJournal;
import org.twinbridge.runtime.storage.Database;

/**
 * A node's part in a scale-out on Kafka (docs/scale-out.md): the Kafka journal its connectors append to, and the
 * worker that runs its plugins on the partitions the group assigns it. Both absent on the default JDBC journal.
 */
final class ScaleOut implements AutoCloseable {

    static final ScaleOut NONE = new ScaleOut(Optional.empty(), Optional.empty());

    private final Optional<KafkaJournal> journal;
    private final Optional<KafkaWorker> worker;

    private ScaleOut(Optional<KafkaJournal> journal, Optional<KafkaWorker> worker) {
        this.journal = journal;
        this.worker = worker;
    }

    /** The topic exists and the producer is open; the worker is built but not started. */
    static ScaleOut open(NodeConfig.Journal config, NodeAssembly services, Database db, List<Subscriber> subscribers,
            String nodeId, Clock clock) throws Exception {
        KafkaWorker.ensureTopic(config);
        String name = nodeId + "@" + ProcessHandle.current().pid();
        KafkaJournal journal = services.kafkaJournal(config, name);
        Optional<KafkaWorker> worker = Optional.empty();
        if (config.work()) {
            worker = Optional.of(new KafkaWorker(db, services.dispatcher(), new KafkaEntries(services.dataKeys(),
                    services.fhir(), services::currentLabels), subscribers, config, name, clock));
        }
        return new ScaleOut(Optional.of(journal), worker);
    }

    Optional<KafkaJournal> journal() {
        return journal;
    }

    Optional<KafkaWorker> worker() {
        return worker;
    }

    void start() {
        worker.ifPresent(KafkaWorker::start);
    }

    /** The worker leaves the group first (its partitions move on), then the producer closes. */
    @Override
    public void close() {
        try {
            worker.ifPresent(KafkaWorker::close);
        } finally {
            journal.ifPresent(KafkaJournal::close);
        }
    }
}
