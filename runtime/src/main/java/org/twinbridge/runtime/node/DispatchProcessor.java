package org.twinbridge.runtime.node;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.twinbridge.runtime.dispatch.Dispatcher;
import org.twinbridge.runtime.dispatch.Subscriber;

/** One tick of a plugin's dispatch route: drains the plugin's backlog in bounded batches. */
final class DispatchProcessor implements Processor {

    private static final int BATCH = 200;
    private static final int MAX_BATCHES_PER_TICK = 50;
    private final Dispatcher dispatcher;
    private final Subscriber subscriber;

    DispatchProcessor(Dispatcher dispatcher, Subscriber subscriber) {
        this.dispatcher = dispatcher;
        this.subscriber = subscriber;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        for (int i = 0; i < MAX_BATCHES_PER_TICK; i++) {
            if (dispatcher.dispatchBatch(subscriber, BATCH) < BATCH || !exchange.getContext().isStarted()) {
                return;
            }
        }
    }
}
