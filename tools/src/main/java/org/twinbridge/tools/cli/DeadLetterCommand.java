package org.twinbridge.tools.cli;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.twinbridge.consent.jdbc.JdbcConsentRegistry;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.consent.ConsentGate;
import org.twinbridge.runtime.consent.RecordCipherPayloads;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.deadletter.DeadLetterId;
import org.twinbridge.runtime.deadletter.DeadLetterService;
import org.twinbridge.runtime.dispatch.Dispatcher;
import org.twinbridge.runtime.dispatch.ParkedDeliveries;
import org.twinbridge.runtime.dispatch.Replay;
import org.twinbridge.runtime.journal.DeadLetters;
import org.twinbridge.runtime.journal.JdbcJournal;
import org.twinbridge.runtime.journal.PatientIndex;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.node.Node;
import org.twinbridge.runtime.plugin.PluginHost;
import org.twinbridge.runtime.policy.PolicyHolder;
import org.twinbridge.runtime.storage.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code twinbridge deadletter list|replay|drop}: plugin deliveries parked after their retries ({@code P-n}) and
 * connector dead letters ({@code C-n}). Listing and dropping need no plugins; replaying loads them (signature
 * checks included) and the node's policy and consent, exactly as the node delivers. On H2 run it with the node
 * stopped (the database file is the node's).
 */
@Command(name = "deadletter", description = "List, replay and drop dead letters: plugin deliveries parked after "
        + "their retries (P-n) and connector dead letters (C-n).",
        subcommands = {DeadLetterCommand.ListCommand.class, DeadLetterCommand.ReplayCommand.class,
            DeadLetterCommand.DropCommand.class})
final class DeadLetterCommand {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

    /** {@code deadletter list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Parked plugin deliveries and connector "
            + "dead letters, with their reasons; metadata only, never content. Needs no keys.")
    static final class ListCommand implements Callable<Integer> {

        @Mixin
        NodeOptions options;

        @Option(names = "--plugin", paramLabel = "ID", description = "Only this plugin's parked deliveries.")
        String plugin;

        @Option(names = "--all", description = "Include replayed and dropped deliveries.")
        boolean all;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "1000",
                description = "At most N of each kind (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() throws Exception {
            if (limit < 1) {
                throw new TwinBridgeCli.BadInputException("TB-DEADLETTER-010 --limit must be at least 1");
            }
            NodeConfig config = options.load(ConnectorRegistry.discover());
            DeadLetterService.Listing listing;
            try (Database db = NodeSession.open(config)) {
                // Listing reads metadata only: no keys, and an audit trail that is never written.
                listing = DeadLetterService.withoutReplay(db, new org.twinbridge.runtime.audit.JdbcAuditTrail(
                        Clock.systemUTC()), Clock.systemUTC()).list(new DeadLetterService.Filter(
                        Optional.ofNullable(plugin), all, limit));
            }
            print(listing);
            return TwinBridgeCli.OK;
        }

        private static void print(DeadLetterService.Listing listing) {
            System.out.printf("Parked plugin deliveries: %d%n", listing.parked().size());
            if (!listing.parked().isEmpty()) {
                System.out.printf("  %-8s %-24s %-11s %-8s %-9s %-24s %s%n", "ID", "PLUGIN", "JOURNAL-SEQ",
                        "ATTEMPTS", "STATUS", "PARKED-AT", "REASON");
                for (ParkedDeliveries.Parked p : listing.parked()) {
                    System.out.printf("  %-8s %-24s %-11d %-8d %-9s %-24s %s%n", new DeadLetterId.Parked(p.id()),
                            p.pluginId(), p.journalSeq(), p.attempts(), p.status(), TIME.format(p.parkedAt()),
                            p.failure().describe());
                }
            }
            System.out.printf("Connector dead letters: %d%n", listing.connectors().size());
            if (!listing.connectors().isEmpty()) {
                System.out.printf("  %-8s %-16s %-13s %-11s %-8s %-24s %s%n", "ID", "CONNECTOR", "CODE", "BYTES",
                        "SEEN", "LAST-SEEN", "REASON");
                for (DeadLetters.Entry e : listing.connectors()) {
                    System.out.printf("  %-8s %-16s %-13s %-11d %-8d %-24s %s%n", new DeadLetterId.Connector(e.seq()),
                            e.connectorId(), e.reasonCode(), e.payloadBytes(), e.occurrences(),
                            TIME.format(e.lastSeen()), e.reason());
                }
            }
        }
    }

    /** {@code deadletter replay}. */
    @Command(name = "replay", mixinStandardHelpOptions = true, description = "Deliver a parked record to its plugin "
            + "once more, through the decision, consent and projection path as of now; exactly once. A delivery "
            + "that fails again stays parked. Exits 1 if it failed again.")
    static final class ReplayCommand extends OneDeadLetterCommand {

        @Parameters(paramLabel = "ID", description = "A parked delivery, as listed: P-12 (or 12).")
        String id;

        @Override
        String id() {
            return id;
        }

        @Override
        int run(DeadLetterId deadLetter, NodeConfig config, NodeKeys keys, Clock clock) throws Exception {
            Replay outcome;
            try (Database db = NodeSession.open(config);
                    PluginHost plugins = PluginHost.load(config.plugins(),
                            config.node().dataDir().resolve("verified-plugins"), config.policies().purposes(),
                            clock.instant())) {
                DeadLetterService service = new DeadLetterService(db, dispatcher(config, keys, db, clock),
                        plugins.subscribers(), ConsentCommand.auditTrail(config, keys, clock), clock);
                outcome = replay(service, deadLetter);
            }
            System.out.println(deadLetter + ": " + DeadLetterService.describe(outcome));
            return outcome instanceof Replay.FailedAgain ? TwinBridgeCli.RUNTIME_FAILURE : TwinBridgeCli.OK;
        }

        private static Replay replay(DeadLetterService service, DeadLetterId id) throws Exception {
            try {
                return service.replay(id, NodeSession.actor());
            } catch (DeadLetterService.DeadLetterException e) {
                throw new TwinBridgeCli.BadInputException(e.getMessage());
            }
        }

        /** The node's own dispatcher: its policy (set or allow-list), consent registry and retry settings. */
        private static Dispatcher dispatcher(NodeConfig config, NodeKeys keys, Database db, Clock clock)
                throws Exception {
            PolicyHolder policy = Node.initialPolicy(config.policies(), FHIR);
            PatientIndex patients = new PatientIndex(keys.identifierHashes());
            JdbcConsentRegistry consents = new JdbcConsentRegistry(FHIR,
                    new RecordCipherPayloads(ConsentCommand.unlinkedKey(db, keys)), clock);
            return new Dispatcher(db, new JdbcJournal(db, keys.dataKeys(), patients, FHIR, policy::labels),
                    policy, patients, keys.pseudonyms(), keys.dataKeys(), ConsentCommand.auditTrail(config, keys, clock),
                    FHIR, clock, ConsentGate.of(consents, config.consent(), FHIR, clock), config.plugins().retry());
        }
    }

    /** {@code deadletter drop}. */
    @Command(name = "drop", mixinStandardHelpOptions = true, description = "Give up on a parked delivery (the "
            + "record stays in the journal; only this plugin will not get it) or delete a connector dead letter "
            + "and its encrypted payload. Audited.")
    static final class DropCommand extends OneDeadLetterCommand {

        @Parameters(paramLabel = "ID", description = "P-12 (a parked delivery) or C-5 (a connector dead letter).")
        String id;

        @Override
        String id() {
            return id;
        }

        @Override
        int run(DeadLetterId deadLetter, NodeConfig config, NodeKeys keys, Clock clock) throws Exception {
            try (Database db = NodeSession.open(config)) {
                // A drop delivers nothing, so it needs no plugins and no policy.
                DeadLetterService service = DeadLetterService.withoutReplay(db,
                        ConsentCommand.auditTrail(config, keys, clock), clock);
                service.drop(deadLetter, NodeSession.actor());
            } catch (DeadLetterService.DeadLetterException e) {
                throw new TwinBridgeCli.BadInputException(e.getMessage());
            }
            System.out.println(deadLetter + ": dropped (audit: deadletter.drop)");
            return TwinBridgeCli.OK;
        }
    }

    /**
     * A subcommand that acts on one dead letter with the node's keys: the id is checked before the configuration is
     * loaded, so a typo fails fast, without touching keys or database.
     */
    abstract static class OneDeadLetterCommand implements Callable<Integer> {

        @Mixin
        NodeOptions options;

        /** The id as given on the command line. */
        abstract String id();

        abstract int run(DeadLetterId deadLetter, NodeConfig config, NodeKeys keys, Clock clock) throws Exception;

        @Override
        public final Integer call() throws Exception {
            DeadLetterId deadLetter = parse(id());
            NodeConfig config = options.load(ConnectorRegistry.discover());
            return run(deadLetter, config, NodeOptions.keys(config), Clock.systemUTC());
        }
    }

    private static DeadLetterId parse(String text) throws TwinBridgeCli.BadInputException {
        return DeadLetterId.parse(text).orElseThrow(() -> new TwinBridgeCli.BadInputException(
                "TB-DEADLETTER-011 '" + text + "' is not a dead-letter id; give P-12 (a parked delivery) or C-5 (a "
                        + "connector dead letter), as 'deadletter list' shows them"));
    }
}
