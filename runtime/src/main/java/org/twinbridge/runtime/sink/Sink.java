package org.twinbridge.runtime.sink;

/**
 * A receiver of plugin outputs. Implementations send one message and return only once the receiver accepted it,
 * so the caller can advance the sink's cursor; they are called from one thread per sink.
 */
public interface Sink extends AutoCloseable {

    /**
     * Sends one output.
     *
     * @throws SinkException when the receiver did not accept it; {@link SinkException#permanent()} tells
     *     whether a retry could help
     */
    void deliver(SinkMessage message) throws SinkException;

    @Override
    default void close() {
    }
}
