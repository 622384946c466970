package org.twinbridge.runtime.observe;

import java.util.List;
import java.util.Optional;

/** The node's connectors as the admin API and status line see them: health, and audited pause and resume. */
public interface ConnectorControl {

    /** Every connector's health and counters, in configuration order. */
    List<ConnectorHealth> connectors();

    /**
     * Pauses a connector and audits it as {@code connector.pause} by {@code actor} (a user id, {@code cli:<user>}
     * or {@code node}).
     *
     * @return the connector's health after pausing, or empty if there is no connector with that id
     */
    Optional<ConnectorHealth> pause(String connectorId, String actor);

    /** Resumes a paused connector and audits it as {@code connector.resume}; empty if there is no such connector. */
    Optional<ConnectorHealth> resume(String connectorId, String actor);
}
