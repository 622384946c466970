package org.twinbridge.tools.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.camel.main.Main;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.hl7.fhir.r4.model.Observation;
import org.twinbridge.embedded.mqtt.EmbeddedMqttBroker;
import org.twinbridge.runtime.dispatch.Subscriber;
import org.twinbridge.runtime.journal.JournalSignal;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * Latency from an MQTT publish to the plugin's {@code onRecord}, at a steady rate: an embedded Moquette broker,
 * the node's MQTT connector (QoS 1, acknowledged after the journal commit), the journal, and a dispatch loop per
 * plugin that wakes on each commit, as the node's dispatch routes do. Each reading is a FHIR Observation whose
 * value is its sequence number; the publish time is kept on the side, keyed by that number.
 */
final class LatencyRun {

    /** Latency percentiles in milliseconds, over {@code samples} readings. */
    record Result(int samples, int expected, int rate, double p50, double p99, double p999, double max,
            Percentiles committed) {
    }

    /**
     * Publish to journal commit (the moment the connector may acknowledge): the ingest half of the latency.
     *
     * @param samples readings committed, of those measured
     */
    record Percentiles(int samples, double p50, double p99, double max) {
    }

    private LatencyRun() {
    }

    /** @param brokerUrl an MQTT broker to use, or null for an embedded Moquette broker */
    static Result run(BenchPipeline pipeline, String brokerUrl, String patientId, int rate, int seconds,
            Progress progress) throws Exception {
        Map<Integer, Long> published = new ConcurrentHashMap<>();
        long[] latencies = new long[rate * seconds];
        int warmup = rate;
        RecorderTwin probeTwin = (RecorderTwin) pipeline.subscribers.get(0).model();
        ((LatencyProbe) probeTwin.probe()).bind(published, latencies, warmup);
        long[] commits = new long[rate * seconds];
        JournalSignal signal = new JournalSignal();
        try (EmbeddedMqttBroker embedded = brokerUrl == null ? EmbeddedMqttBroker.start(0) : null) {
            String broker = embedded == null ? brokerUrl : embedded.url();
            String topic = "bench/" + UUID.randomUUID().toString().substring(0, 8) + "/vitals";
            Main camel = new Main();
            camel.configure().setJmxEnabled(false);
            camel.configure().addRoutesBuilder(BenchConnectors.journalRoutes(pipeline, signal, records -> {
                long now = System.nanoTime();
                for (CanonicalRecord record : records) {
                    int seq = sequence(record.resource());
                    Long at = seq < 0 ? null : published.get(seq);
                    if (at != null && seq >= warmup && seq - warmup < commits.length) {
                        commits[seq - warmup] = Math.max(1, now - at);
                    }
                }
            }));
            camel.configure().addRoutesBuilder(ConnectorRegistry.discover().get("mqtt").orElseThrow()
                    .routes(BenchConnectors.context("wards", Map.of("broker", broker, "topics",
                    List.of(topic), "format", "fhir", "client-id", "bench-sub-" + UUID.randomUUID().toString()
                    .substring(0, 8)))));
            camel.start();
            AtomicBoolean running = new AtomicBoolean(true);
            // One loop per plugin, as the node runs one dispatch route per plugin: the probe's plugin does not
            // wait for the others' deliveries.
            List<Thread> dispatchers = new java.util.ArrayList<>();
            for (Subscriber subscriber : pipeline.subscribers) {
                Thread dispatch = new Thread(() -> dispatchLoop(pipeline, subscriber, signal, running),
                        "bench-dispatch-" + subscriber.id());
                dispatch.start();
                dispatchers.add(dispatch);
            }
            MqttAsyncClient client = new MqttAsyncClient(broker, "bench-pub-" + UUID.randomUUID(),
                    new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setMaxInflight(65535);
            options.setCleanSession(true);
            client.connect(options).waitForCompletion(10_000);
            try {
                int total = warmup + latencies.length;
                long start = System.nanoTime();
                long interval = 1_000_000_000L / rate;
                for (int i = 0; i < total; i++) {
                    long due = start + i * interval;
                    while (System.nanoTime() < due) {
                        LockSupport.parkNanos(Math.max(1, due - System.nanoTime() - 20_000));
                    }
                    published.put(i, System.nanoTime());
                    client.publish(topic, reading(i, patientId), 1, false);
                    if (i % rate == 0) {
                        progress.message(String.format("published %,d / %,d readings at %,d/s", i, total, rate));
                    }
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (probeTwin.received() < total && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            } finally {
                try {
                    client.disconnect().waitForCompletion(5_000);
                    client.close();
                } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
                    // The broker may have dropped an overloaded publisher; the measurement is already taken.
                    progress.message("publisher disconnect failed (" + e.getReasonCode() + ")");
                }
                running.set(false);
                for (Thread dispatch : dispatchers) {
                    dispatch.join(5_000);
                }
                camel.stop();
            }
        }
        progress.done();
        long[] measured = Arrays.stream(latencies).filter(l -> l > 0).sorted().toArray();
        if (measured.length == 0) {
            throw new IllegalStateException("TB-BENCH-011 no reading reached the plugin within 30 s of the last "
                    + "publish");
        }
        long[] committed = Arrays.stream(commits).filter(l -> l > 0).sorted().toArray();
        Percentiles ingest = committed.length == 0 ? new Percentiles(0, 0, 0, 0) : new Percentiles(committed.length,
                millis(committed, 0.50), millis(committed, 0.99), committed[committed.length - 1] / 1e6);
        return new Result(measured.length, latencies.length, rate, millis(measured, 0.50), millis(measured, 0.99),
                millis(measured, 0.999), measured[measured.length - 1] / 1e6, ingest);
    }

    private static double millis(long[] sorted, double quantile) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static void dispatchLoop(BenchPipeline pipeline, Subscriber subscriber, JournalSignal signal,
            AtomicBoolean running) {
        try {
            while (running.get()) {
                long seen = signal.commits();
                while (pipeline.dispatcher.dispatchBatch(subscriber, ThroughputRun.DISPATCH_BATCH) > 0) {
                    // drain
                }
                signal.awaitAfter(seen, 100, TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("TB-BENCH-012 the dispatch loop failed: " + e.getClass().getName(), e);
        }
    }

    private static byte[] reading(int seq, String patientId) {
        return ("{\"resourceType\":\"Observation\",\"id\":\"reading-" + seq + "\",\"status\":\"final\","
                + "\"category\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/observation-category\","
                + "\"code\":\"vital-signs\"}]}],\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\","
                + "\"display\":\"Heart rate\"}]},\"subject\":{\"reference\":\"Patient/" + patientId + "\"},"
                + "\"effectiveDateTime\":\"" + Instant.now() + "\",\"valueQuantity\":{\"value\":" + seq
                + ",\"unit\":\"/min\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"/min\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The reading's sequence number (its value), or -1 for anything else. */
    static int sequence(org.hl7.fhir.r4.model.Resource resource) {
        return resource instanceof Observation o && o.hasValueQuantity() ? o.getValueQuantity().getValue().intValue()
                : -1;
    }

    /** Records, per reading, the time from its publish to its arrival in the plugin. */
    static final class LatencyProbe implements java.util.function.Consumer<AuthorisedRecord> {
        private volatile Map<Integer, Long> published;
        private volatile long[] latencies;
        private volatile int warmup;

        void bind(Map<Integer, Long> published, long[] latencies, int warmup) {
            this.latencies = latencies;
            this.warmup = warmup;
            this.published = published;
        }

        @Override
        public void accept(AuthorisedRecord record) {
            long now = System.nanoTime();
            Map<Integer, Long> sent = published;
            if (sent == null || !(record.resource() instanceof Observation o) || !o.hasValueQuantity()) {
                return;
            }
            int seq = sequence(o);
            Long at = sent.get(seq);
            if (at != null && seq >= warmup && seq - warmup < latencies.length) {
                latencies[seq - warmup] = Math.max(1, now - at);
            }
        }
    }
}
