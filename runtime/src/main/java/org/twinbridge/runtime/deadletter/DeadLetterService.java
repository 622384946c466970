package org.twinbridge.runtime.deadletter;

import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.twinbridge.runtime.audit.AuditEvent;
import org.twinbridge.runtime.audit.AuditTrail;
import org.twinbridge.runtime.deadletter.ParkedDeliveries;
import org.twinbridge.runtime.deadletter.Replay;
import org.twinbridge.runtime.storage.Database;

/**
 * The operations on dead letters that the {@code deadletter} command and the admin API offer: list the plugin
 * deliveries parked after their retries and the connectors' dead letters (metadata only, never content);
 * replay a parked delivery to its plugin (through the whole decision path, exactly once); drop either kind.
 * Every replay and drop is an audit entry naming the actor; a drop's entry commits with the drop itself.
 * Thread-safe if the dispatcher and database are (they are).
 */
public final class DeadLetterService {

    /** Everything listed, oldest first within each kind. */
    public record Listing(List<ParkedDeliveries.Parked> parked, List<DeadLetters.Entry> connectors) {
        public Listing {
            parked = List.copyOf(parked);
            connectors = List.copyOf(connectors);
        }
    }

    /** What a listing includes. */
    public record Filter(Optional<String> pluginId, boolean includeResolved, int limit) {
        public Filter {
            Objects.requireNonNull(pluginId, "pluginId");
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be at least 1");
            }
        }

        /** Unresolved entries of every plugin and connector, at most 1000 of each. */
        public static Filter open() {
            return new Filter(Optional.empty(), false, 1000);
        }
    }

    /** A request that cannot be carried out as asked; the message is safe to show (no PHI) and has a code. */
    public static final class DeadLetterException extends Exception {
        private static final long serialVersionUID = 1L;

        public DeadLetterException(String message) {
            super(message);
        }
    }

    private final Database db;
    private final Optional<Redelivery> redelivery;
    private final AuditTrail audit;
    private final Clock clock;

    /** @param redelivery replays parked deliveries to the plugins loaded here; empty: list and drop only */
    public DeadLetterService(Database db, Optional<Redelivery> redelivery, AuditTrail audit, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.redelivery = Objects.requireNonNull(redelivery, "redelivery");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A service that lists and drops but cannot replay (it has no plugins), e.g. for a command line tool. */
    public static DeadLetterService withoutReplay(Database db, AuditTrail audit, Clock clock) {
        return new DeadLetterService(db, Optional.empty(), audit, clock);
    }

    /** Parked deliveries and connector dead letters, metadata only. */
    public Listing list(Filter filter) throws SQLException {
        return db.inTransaction(c -> {
            List<ParkedDeliveries.Parked> parked = ParkedDeliveries.list(c, filter.pluginId(),
                    filter.includeResolved() ? Optional.empty() : Optional.of(ParkedDeliveries.Status.PARKED),
                    filter.limit());
            // Connector dead letters belong to no plugin: a listing for one plugin leaves them out.
            List<DeadLetters.Entry> connectors = filter.pluginId().isPresent() ? List.of()
                    : DeadLetters.oldest(c, filter.limit());
            return new Listing(parked, connectors);
        });
    }

    /**
     * Replays a parked delivery to its plugin; see {@code Dispatcher.replay}.
     *
     * @throws DeadLetterException if the id is a connector dead letter, unknown, already resolved, or its
     *                             plugin is not loaded here
     */
    public Replay replay(DeadLetterId id, String actor) throws SQLException, DeadLetterException {
        if (id instanceof DeadLetterId.Connector) {
            throw new DeadLetterException("TB-DEADLETTER-003 " + id + " is a connector dead letter: the source "
                    + "message never became a record, so there is nothing to deliver. Fix the sender and resend "
                    + "it, then drop " + id);
        }
        long parkedId = ((DeadLetterId.Parked) id).id();
        ParkedDeliveries.Parked row = db.inTransaction(c -> ParkedDeliveries.find(c, parkedId))
                .orElseThrow(() -> new DeadLetterException("TB-DEADLETTER-001 no parked delivery " + id));
        if (row.status() != ParkedDeliveries.Status.PARKED) {
            throw new DeadLetterException("TB-DEADLETTER-002 " + id + " was already "
                    + row.status().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (redelivery.isEmpty()) {
            throw new DeadLetterException("TB-DEADLETTER-005 this service was made without plugins and cannot "
                    + "replay " + id);
        }
        Set<String> loaded = new TreeSet<>(redelivery.get().plugins());
        if (!loaded.contains(row.pluginId())) {
            throw new DeadLetterException("TB-DEADLETTER-004 plugin " + row.pluginId() + " of " + id
                    + " is not loaded; loaded: " + (loaded.isEmpty() ? "none" : String.join(", ", loaded)));
        }
        Replay outcome = redelivery.get().replay(row.pluginId(), parkedId);
        if (outcome instanceof Replay.NotParked) {
            throw new DeadLetterException("TB-DEADLETTER-002 " + id + " was resolved by someone else meanwhile");
        }
        db.inTransaction(c -> {
            audit.record(c, new AuditEvent("deadletter.replay", actor, "", Map.of("dead_letter", id.toString(),
                    "plugin", row.pluginId(), "journal_seq", Long.toString(row.journalSeq()),
                    "outcome", describe(outcome))));
            return null;
        });
        return outcome;
    }

    /**
     * Drops a parked delivery (the record stays in the journal; only this plugin gives up on it) or a connector
     * dead letter (its encrypted payload is deleted). The audit entry commits with the drop.
     *
     * @throws DeadLetterException if there is no such entry, or it was already resolved
     */
    public void drop(DeadLetterId id, String actor) throws SQLException, DeadLetterException {
        Optional<String> problem = db.inTransaction(c -> {
            Map<String, String> details = new TreeMap<>();
            details.put("dead_letter", id.toString());
            if (id instanceof DeadLetterId.Parked parked) {
                Optional<ParkedDeliveries.Parked> row = ParkedDeliveries.find(c, parked.id());
                if (row.isEmpty()) {
                    return Optional.of("TB-DEADLETTER-001 no parked delivery " + id);
                }
                if (!ParkedDeliveries.drop(c, parked.id(), clock)) {
                    return Optional.of("TB-DEADLETTER-002 " + id + " was already "
                            + row.get().status().name().toLowerCase(java.util.Locale.ROOT));
                }
                details.put("plugin", row.get().pluginId());
                details.put("journal_seq", Long.toString(row.get().journalSeq()));
                details.put("reason", row.get().failure().describe());
            } else {
                long seq = ((DeadLetterId.Connector) id).id();
                Optional<DeadLetters.Entry> entry = DeadLetters.find(c, seq);
                if (entry.isEmpty() || !DeadLetters.delete(c, seq)) {
                    return Optional.of("TB-DEADLETTER-001 no connector dead letter " + id);
                }
                details.put("connector", entry.get().connectorId());
                details.put("reason_code", entry.get().reasonCode());
                details.put("payload_bytes", Integer.toString(entry.get().payloadBytes()));
            }
            audit.record(c, new AuditEvent("deadletter.drop", actor, "", details));
            return Optional.<String>empty();
        });
        if (problem.isPresent()) {
            throw new DeadLetterException(problem.get());
        }
    }

    /** A one-line, PHI-free description of a replay's outcome. */
    public static String describe(Replay outcome) {
        if (outcome instanceof Replay.Delivered d) {
            return "delivered (receipt " + d.receiptId() + ")";
        }
        if (outcome instanceof Replay.Denied d) {
            return "denied: " + d.reason();
        }
        if (outcome instanceof Replay.NotRequested) {
            return "not requested by the plugin's manifest any more";
        }
        if (outcome instanceof Replay.RecordGone) {
            return "the record no longer exists (erased)";
        }
        if (outcome instanceof Replay.FailedAgain f) {
            return "failed again (" + f.failure().describe() + "); still parked";
        }
        return "not parked";
    }
}
