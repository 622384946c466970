package org.twinbridge.federation.transport;

/** A running task endpoint; closing it stops accepting tasks. */
public interface TaskListener extends AutoCloseable {

    /** The port it listens on (useful when started on port 0). */
    int port();

    @Override
    void close();
}
