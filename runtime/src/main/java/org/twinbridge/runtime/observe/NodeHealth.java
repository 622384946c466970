package org.twinbridge.runtime.observe;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The node's liveness and readiness, for {@code /health} and orchestrators' probes. Holds no PHI. Immutable.
 *
 * @param nodeId             the node's id ({@code node.id})
 * @param live               the node's routes are running (it has not stopped or failed)
 * @param ready              live, and the database answers, every connector started (a paused one counts) and
 *                           the keys are loaded
 * @param databaseReachable  the database answered a validity check just now
 * @param connectorsStarted  every configured connector's route is started or paused by an operator
 * @param keysLoaded         the node's key-encryption key is loaded
 * @param connectors         each connector's health, in configuration order
 * @param checkedAt          when this was checked
 */
public record NodeHealth(String nodeId, boolean live, boolean ready, boolean databaseReachable,
        boolean connectorsStarted, boolean keysLoaded, List<ConnectorHealth> connectors, Instant checkedAt) {

    public NodeHealth {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(checkedAt, "checkedAt");
        connectors = List.copyOf(connectors);
    }

    /** The overall status for a probe: DOWN if not ready, DEGRADED if a connector is DEGRADED or DOWN, else UP. */
    public String status() {
        if (!ready) {
            return "DOWN";
        }
        boolean troubled = connectors.stream()
                .anyMatch(c -> c.state() == ConnectorState.DEGRADED || c.state() == ConnectorState.DOWN);
        return troubled ? "DEGRADED" : "UP";
    }
}
