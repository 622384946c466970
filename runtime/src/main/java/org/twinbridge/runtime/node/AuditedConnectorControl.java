package org.twinbridge.runtime.node;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.runtime.audit.AuditEvent;
import org.twinbridge.runtime.audit.AuditLog;
import org.twinbridge.runtime.observe.ConnectorControl;
import org.twinbridge.runtime.observe.ConnectorHealth;
import org.twinbridge.runtime.observe.NodeObservability;

/** {@link ConnectorControl} through the node's observability, each pause and resume audited. */
final class AuditedConnectorControl implements ConnectorControl {

    private static final Logger LOG = LoggerFactory.getLogger(AuditedConnectorControl.class);

    private final String nodeId;
    private final NodeObservability observability;
    private final AuditLog audit;

    AuditedConnectorControl(String nodeId, NodeObservability observability, AuditLog audit) {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.observability = Objects.requireNonNull(observability, "observability");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    @Override
    public List<ConnectorHealth> connectors() {
        return observability.connectors();
    }

    @Override
    public Optional<ConnectorHealth> pause(String connectorId, String actor) {
        Optional<ConnectorHealth> health = observability.pause(connectorId);
        health.ifPresent(h -> record("connector.pause", connectorId, actor));
        return health;
    }

    @Override
    public Optional<ConnectorHealth> resume(String connectorId, String actor) {
        Optional<ConnectorHealth> health = observability.resume(connectorId);
        health.ifPresent(h -> record("connector.resume", connectorId, actor));
        return health;
    }

    private void record(String kind, String connectorId, String actor) {
        try {
            audit.append(new AuditEvent(kind, actor, "", Map.of("node", nodeId, "connector", connectorId)));
        } catch (SQLException e) {
            LOG.error("TB-AUDIT-006 cannot record {} of connector {} in the audit trail (SQLState {})", kind,
                    connectorId, e.getSQLState());
        }
    }
}
