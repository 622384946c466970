package org.twinbridge.runtime.config;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.twinbridge.policy.yaml.YamlSection;

/**
 * Reads {@code journal:}. Absent, or {@code type: jdbc}, the journal is the node's own database (the default).
 * {@code type: kafka} puts it on Apache Kafka, shared by every node configured with the same topic and group:
 * <pre>
 * journal:
 *   type: kafka
 *   bootstrap: "127.0.0.1:9092"      # host:port[,host:port...]
 *   topic: twinbridge-journal         # created with `partitions` partitions if missing
 *   partitions: 12                    # default 12; the most workers that can share the work
 *   group: twinbridge-workers         # consumer group of the workers; default twinbridge-workers
 *   work: true                        # false: this node only ingests (its connectors append), it runs no plugins
 * </pre>
 * Kafka needs the shared PostgreSQL storage: patient keys, data keys, consents, the audit chain, plugin state and
 * the workers' partition cursors live there, one database for every worker (docs/scale-out.md).
 */
final class JournalSection {

    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,200}");
    private static final Pattern HOST_PORT = Pattern.compile("[^,:\\s]+:\\d{1,5}(,[^,:\\s]+:\\d{1,5})*");

    private JournalSection() {
    }

    static Optional<NodeConfig.Journal> read(YamlSection s, NodeConfig.Storage storage) {
        s.allowOnly(Set.of("type", "bootstrap", "topic", "partitions", "group", "work"));
        String type = s.string("type").orElse("jdbc");
        if (type.equals("jdbc")) {
            for (String key : Set.of("bootstrap", "topic", "partitions", "group", "work")) {
                if (s.has(key)) {
                    s.errorAt(key, "TB-CONFIG-004", "'journal." + key + "' applies to 'type: kafka' only");
                }
            }
            return Optional.empty();
        }
        if (!type.equals("kafka")) {
            s.errorAt("type", "TB-CONFIG-004", "'journal.type' must be jdbc (the default) or kafka, not '" + type
                    + "'");
            return Optional.empty();
        }
        String bootstrap = s.requireString("bootstrap", "bootstrap: \"127.0.0.1:9092\"");
        if (!bootstrap.isEmpty() && !HOST_PORT.matcher(bootstrap).matches()) {
            s.errorAt("bootstrap", "TB-CONFIG-004", "'journal.bootstrap' must be host:port[,host:port...]");
        }
        String topic = s.string("topic").orElse("twinbridge-journal");
        if (!TOPIC.matcher(topic).matches()) {
            s.errorAt("topic", "TB-CONFIG-004", "'journal.topic' must be 1-200 letters, digits, '.', '_' or '-'");
        }
        String group = s.string("group").orElse("twinbridge-workers");
        if (!TOPIC.matcher(group).matches()) {
            s.errorAt("group", "TB-CONFIG-004", "'journal.group' must be 1-200 letters, digits, '.', '_' or '-'");
        }
        int partitions = 12;
        Optional<String> count = s.string("partitions");
        if (count.isPresent()) {
            try {
                partitions = Integer.parseInt(count.get());
            } catch (NumberFormatException e) {
                partitions = -1;
            }
            if (partitions < 1 || partitions > 10_000) {
                s.errorAt("partitions", "TB-CONFIG-004", "'journal.partitions' must be a whole number from 1 to "
                        + "10000");
                partitions = 1;
            }
        }
        if (!storage.url().startsWith("jdbc:postgresql:")) {
            s.errorAt("type", "TB-CONFIG-004", "'journal.type: kafka' needs 'storage.url' on PostgreSQL: every "
                    + "worker shares the patient index, keys, consents, audit chain and cursors in one database");
        }
        return Optional.of(new NodeConfig.Journal(bootstrap, topic, partitions, group, s.bool("work").orElse(true)));
    }
}
