package org.twinbridge.runtime.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.stream.Collectors;

/** Audit events in the {@code audit_event} table. */
public final class JdbcAuditTrail implements AuditTrail {

    private final Clock clock;

    public JdbcAuditTrail(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void record(Connection c, AuditEvent event) throws SQLException {
        String details = event.details().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(";"));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_event (kind, actor, subject, details, "
                + "recorded_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, event.kind());
            ps.setString(2, event.actor());
            ps.setString(3, event.subject());
            ps.setString(4, details.length() <= 2000 ? details : details.substring(0, 2000));
            ps.setTimestamp(5, Timestamp.from(clock.instant()));
            ps.executeUpdate();
        }
    }
}
