package org.twinbridge.tools.bench;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.twinbridge.runtime.assembly.NodeAssembly;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.dispatch.Dispatcher;
import org.twinbridge.runtime.dispatch.Subscriber;
import org.twinbridge.runtime.journal.JdbcJournal;
import org.twinbridge.runtime.storage.Database;

/**
 * The node's record path, composed by the node's own {@link NodeAssembly} (storage with its migrations, keys, the
 * encrypted journal with the patient index and consent intake, the policy set, the dispatcher with its consent
 * gate, the signed audit trail), without Camel: the benchmark drives the journal and the dispatch loops itself
 * so it can time them. Plugins are in-process {@link Subscriber}s.
 */
final class BenchPipeline implements AutoCloseable {

    final Database db;
    final JdbcJournal journal;
    final Dispatcher dispatcher;
    final List<Subscriber> subscribers;

    private BenchPipeline(Database db, JdbcJournal journal, Dispatcher dispatcher, List<Subscriber> subscribers) {
        this.db = db;
        this.journal = journal;
        this.dispatcher = dispatcher;
        this.subscribers = List.copyOf(subscribers);
    }

    static BenchPipeline open(String jdbcUrl, NodeKeys keys, Path policyDir, List<Subscriber> subscribers)
            throws Exception {
        NodeConfig config = config(jdbcUrl, policyDir);
        Database db = NodeAssembly.openDatabase(config.storage());
        try {
            // The node's own assembly: the bench measures exactly the services a node runs.
            NodeAssembly services = NodeAssembly.of(config, keys, db, Clock.systemUTC());
            return new BenchPipeline(db, services.journal(), services.dispatcher(), subscribers);
        } catch (Exception | Error e) {
            db.close();
            throw e;
        }
    }

    /** A node configuration as an operator would write it: the bench's database and policy set, defaults else. */
    private static NodeConfig config(String jdbcUrl, Path policyDir) throws Exception {
        Path dir = Files.createTempDirectory("twinbridge-bench-config");
        String yaml = "node: { id: bench, data-dir: " + quoted(dir.resolve("data")) + " }\n"
                + "storage: { url: " + quoted(jdbcUrl)
                + (jdbcUrl.startsWith("jdbc:postgresql:") ? ", user: postgres" : "") + " }\n"
                + "keys: { keystore: " + quoted(dir.resolve("keys.p12")) + ", password-env: TWINBRIDGE_BENCH_UNUSED }\n"
                + "plugins: { dir: " + quoted(dir.resolve("plugins")) + " }\n"
                + "policies: { dir: " + quoted(policyDir) + " }\n";
        return new ConfigLoader(Map.of()).parse("bench", dir, new StringReader(yaml));
    }

    private static String quoted(Object value) {
        return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void close() {
        db.close();
    }
}
