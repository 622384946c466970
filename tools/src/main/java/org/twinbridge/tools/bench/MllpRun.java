package org.twinbridge.tools.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.main.Main;
import org.twinbridge.runtime.journal.JournalSignal;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.tools.demo.MllpSender;
import org.twinbridge.tools.load.LabFeed;

/**
 * Lab results over MLLP: {@code connections} lab systems, each on its own connection, send synthetic ORU^R01
 * results as fast as the node acknowledges them (each waits for its ACK before sending the next, as a lab system
 * does). The node side is the HL7 v2 connector's own routes and the node's journal, which answers AA only after
 * the commit. Counts the AAs in a fixed time after a warm-up; any other answer is counted and reported. Measures
 * ingest (map, link, label, encrypt, commit, ACK), not dispatch.
 */
final class MllpRun {

    /** AA acknowledgements per second over all connections, and how many answers were not AA. */
    record Result(int connections, double seconds, long acknowledged, long refused) {
        double perSecond() {
            return acknowledged / seconds;
        }
    }

    private MllpRun() {
    }

    static Result run(BenchPipeline pipeline, int connections, int seconds, Progress progress) throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Main camel = new Main();
        camel.configure().setJmxEnabled(false);
        camel.configure().addRoutesBuilder(BenchConnectors.journalRoutes(pipeline, new JournalSignal()));
        camel.configure().addRoutesBuilder(ConnectorRegistry.discover().get("hl7v2").orElseThrow()
                .routes(BenchConnectors.context("lab", Map.of("listen", "127.0.0.1:" + port,
                        "max-connections", Integer.toString(connections + 5),
                        "assigning-authorities", Map.of("HOSP", LabFeed.MRN_SYSTEM)))));
        camel.start();
        String run = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        AtomicBoolean counting = new AtomicBoolean();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        ExecutorService labs = Executors.newFixedThreadPool(connections);
        try {
            List<Future<?>> senders = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                int lab = i;
                senders.add(labs.submit(() -> {
                    send(port, run, lab, running, counting, acknowledged, refused);
                    return null;
                }));
            }
            Thread.sleep(2_000); // warm-up: connections open, code compiled
            counting.set(true);
            long start = System.nanoTime();
            for (int s = 0; s < seconds; s++) {
                Thread.sleep(1_000);
                progress.message(String.format("%,d acknowledged AA on %d connections", acknowledged.get(),
                        connections));
            }
            counting.set(false);
            double elapsed = (System.nanoTime() - start) / 1e9;
            Result result = new Result(connections, elapsed, acknowledged.get(), refused.get());
            running.set(false);
            for (Future<?> sender : senders) {
                sender.get(30, TimeUnit.SECONDS);
            }
            progress.done();
            return result;
        } finally {
            running.set(false);
            labs.shutdownNow();
            camel.stop();
        }
    }

    private static void send(int port, String run, int lab, AtomicBoolean running, AtomicBoolean counting,
            AtomicLong acknowledged, AtomicLong refused) throws Exception {
        try (MllpSender sender = MllpSender.connect("127.0.0.1", port, Duration.ofSeconds(30))) {
            for (long seq = 0; running.get(); seq++) {
                String controlId = run + "-" + lab + "-" + seq;
                String ack = sender.send(LabFeed.oru(run + "-" + lab, controlId, seq, 50));
                if (!counting.get()) {
                    continue;
                }
                if ("AA".equals(MllpSender.ackCode(ack))) {
                    acknowledged.incrementAndGet();
                } else {
                    refused.incrementAndGet();
                }
            }
        }
    }
}
