package org.twinbridge.runtime.node;

import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.twinbridge.runtime.dispatch.Dispatcher;
import org.twinbridge.runtime.dispatch.Subscriber;
import org.twinbridge.runtime.journal.JournalSignal;

/**
 * One tick of a plugin's dispatch route: drains the plugin's backlog in bounded batches, then, for up to
 * {@value #LISTEN_MILLIS} ms, waits for journal commits and drains again as each arrives, so a record reaches its
 * plugins milliseconds after its commit rather than at the next tick. The timer remains the fallback (and
 * what picks up records released other than through the journal endpoint, such as held device readings).
 */
final class DispatchProcessor implements Processor {

    private static final int BATCH = 200;
    private static final int MAX_BATCHES_PER_DRAIN = 50;
    // Bounded so that stopping the node never waits long for a tick to end.
    private static final long LISTEN_MILLIS = 1000;
    private static final long WAIT_MILLIS = 100;
    private final Dispatcher dispatcher;
    private final Subscriber subscriber;
    private final JournalSignal signal;

    DispatchProcessor(Dispatcher dispatcher, Subscriber subscriber, JournalSignal signal) {
        this.dispatcher = dispatcher;
        this.subscriber = subscriber;
        this.signal = signal;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LISTEN_MILLIS);
        long seen = signal.commits();
        drain(exchange);
        while (System.nanoTime() < until && running(exchange)) {
            if (signal.awaitAfter(seen, WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                seen = signal.commits();
                drain(exchange);
            }
        }
    }

    private void drain(Exchange exchange) throws Exception {
        for (int i = 0; i < MAX_BATCHES_PER_DRAIN; i++) {
            if (dispatcher.dispatchBatch(subscriber, BATCH) < BATCH || !running(exchange)) {
                return;
            }
        }
    }

    private static boolean running(Exchange exchange) {
        return exchange.getContext().isStarted() && !exchange.getContext().isStopping();
    }
}
