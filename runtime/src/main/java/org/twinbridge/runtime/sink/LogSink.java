package org.twinbridge.runtime.sink;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one log line per output: sink, output id, plugin, kind and the plugin's summary. Never the resource, and
 * never re-identified: logs are not a place for patient data, whatever the sink's purpose.
 */
final class LogSink implements Sink {

    private static final Logger LOG = LoggerFactory.getLogger("org.twinbridge.sink");
    private final String sinkId;

    LogSink(String sinkId) {
        this.sinkId = sinkId;
    }

    @Override
    public void deliver(SinkMessage message) {
        LOG.info("sink {}: output {} from {} ({}): {}", sinkId, message.outputId(), message.pluginId(),
                message.kind(), message.summary());
    }
}
