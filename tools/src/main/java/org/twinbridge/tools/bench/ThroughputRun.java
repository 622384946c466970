package org.twinbridge.tools.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.twinbridge.runtime.dispatch.Subscriber;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * One end-to-end run: a producer journals the workload in pages (as a connector commits a page of a FHIR
 * search), while dispatch workers drain every plugin's backlog in journal order, as the node's dispatch routes
 * do. The clock runs from the first journal commit to the moment the last plugin has processed the last
 * record. A record counts once it has been processed (delivered, denied or not requested, each with its audit
 * entry) for every plugin.
 */
final class ThroughputRun {

    static final int PAGE = 100;
    static final int DISPATCH_BATCH = 200;

    /** @param workers dispatch threads; each owns every workers-th plugin, so there are never more than this */
    record Result(long records, double seconds, long delivered, long retriedGroups) {
        double perSecond() {
            return records / seconds;
        }
    }

    private ThroughputRun() {
    }

    static Result run(BenchPipeline pipeline, List<CanonicalRecord> patients, List<CanonicalRecord> records,
            int workers, Progress progress) throws Exception {
        pipeline.journal.append(patients);
        // Patients are processed before the clock starts: the workload is the clinical records.
        drain(pipeline, 1);
        List<Subscriber> subscribers = pipeline.subscribers;
        AtomicLongArray processed = new AtomicLongArray(subscribers.size());
        AtomicLong journalled = new AtomicLong();
        AtomicLong retries = new AtomicLong();
        AtomicBoolean ingestDone = new AtomicBoolean();
        int threads = Math.max(1, Math.min(workers, subscribers.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1, r -> {
            Thread t = new Thread(r, "bench-worker");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        try {
            Future<?> ingest = pool.submit(() -> {
                for (int i = 0; i < records.size(); i += PAGE) {
                    pipeline.journal.append(records.subList(i, Math.min(records.size(), i + PAGE)));
                    journalled.addAndGet(Math.min(PAGE, records.size() - i));
                }
                ingestDone.set(true);
                return null;
            });
            List<Future<?>> dispatchers = startDispatchers(pool, pipeline, threads, processed, retries, ingestDone);
            while (!ingest.isDone() || dispatchers.stream().anyMatch(f -> !f.isDone())) {
                Thread.sleep(200);
                progress.update(journalled.get(), min(processed), records.size(), System.nanoTime() - start);
            }
            ingest.get();
            for (Future<?> f : dispatchers) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.done();
        long delivered = pipeline.subscribers.stream().mapToLong(s -> ((RecorderTwin) s.model()).received()).sum();
        return new Result(records.size(), seconds, delivered, retries.get());
    }

    /** Dispatch workers, each draining every threads-th plugin, until ingest is done and nothing is left. */
    private static List<Future<?>> startDispatchers(ExecutorService pool, BenchPipeline pipeline, int threads,
            AtomicLongArray processed, AtomicLong retries, AtomicBoolean ingestDone) {
        List<Subscriber> subscribers = pipeline.subscribers;
        List<Future<?>> dispatchers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            int worker = w;
            dispatchers.add(pool.submit(() -> {
                while (true) {
                    boolean idle = true;
                    boolean finished = ingestDone.get();
                    for (int i = worker; i < subscribers.size(); i += threads) {
                        int n;
                        try {
                            n = pipeline.dispatcher.dispatchBatch(subscribers.get(i), DISPATCH_BATCH);
                        } catch (java.sql.SQLException e) {
                            // As the node's dispatch route does: nothing of the failed group was committed,
                            // so it is simply processed again on the next round. Counted for the report.
                            retries.incrementAndGet();
                            n = 0;
                        }
                        processed.addAndGet(i, n);
                        idle &= n == 0;
                    }
                    if (idle && finished) {
                        return null;
                    }
                    if (idle) {
                        Thread.sleep(2);
                    }
                }
            }));
        }
        return dispatchers;
    }

    /**
     * The two halves apart: the whole workload journalled first, with no dispatch running (ingest alone), then
     * the backlog dispatched to every plugin with nothing being journalled (dispatch alone).
     *
     * @param ingestSeconds   journalling the workload in pages, as the e2e run's producer does
     * @param dispatchSeconds delivering the journalled backlog to every plugin
     */
    record Halves(long records, double ingestSeconds, double dispatchSeconds, long delivered, long retriedGroups) {
        double ingestPerSecond() {
            return records / ingestSeconds;
        }

        double dispatchPerSecond() {
            return records / dispatchSeconds;
        }
    }

    static Halves halves(BenchPipeline pipeline, List<CanonicalRecord> patients, List<CanonicalRecord> records,
            int workers) throws Exception {
        pipeline.journal.append(patients);
        drain(pipeline, 1);
        long start = System.nanoTime();
        for (int i = 0; i < records.size(); i += PAGE) {
            pipeline.journal.append(records.subList(i, Math.min(records.size(), i + PAGE)));
        }
        long journalled = System.nanoTime();
        int threads = Math.max(1, Math.min(workers, pipeline.subscribers.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bench-worker");
            t.setDaemon(true);
            return t;
        });
        AtomicLong retries = new AtomicLong();
        try {
            for (Future<?> f : startDispatchers(pool, pipeline, threads,
                    new AtomicLongArray(pipeline.subscribers.size()), retries, new AtomicBoolean(true))) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        long dispatched = System.nanoTime();
        long delivered = pipeline.subscribers.stream().mapToLong(s -> ((RecorderTwin) s.model()).received()).sum();
        return new Halves(records.size(), (journalled - start) / 1e9, (dispatched - journalled) / 1e9, delivered,
                retries.get());
    }

    private static void drain(BenchPipeline pipeline, int rounds) throws Exception {
        for (Subscriber s : pipeline.subscribers) {
            while (pipeline.dispatcher.dispatchBatch(s, DISPATCH_BATCH) > 0) {
                // keep going until caught up
            }
        }
    }

    private static long min(AtomicLongArray values) {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < values.length(); i++) {
            min = Math.min(min, values.get(i));
        }
        return min;
    }
}
