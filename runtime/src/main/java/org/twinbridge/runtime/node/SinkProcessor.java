package org.twinbridge.runtime.node;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.twinbridge.runtime.sink.SinkWorker;

/** One tick of a sink's route: delivers due outputs in batches until caught up, waiting or failing. */
final class SinkProcessor implements Processor {

    private static final int MAX_BATCHES_PER_TICK = 20;
    private final SinkWorker worker;

    SinkProcessor(SinkWorker worker) {
        this.worker = worker;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        for (int i = 0; i < MAX_BATCHES_PER_TICK; i++) {
            if (worker.deliverDue() == 0 || !exchange.getContext().isStarted()) {
                return;
            }
        }
    }
}
