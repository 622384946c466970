package org.twinbridge.tools.cli;

import ca.uhn.fhir.context.FhirContext;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.deadletter.DeadLetterId;
import org.twinbridge.runtime.deadletter.DeadLetterService;
import org.twinbridge.runtime.deadletter.ParkedDeliveries;
import org.twinbridge.runtime.deadletter.Replay;
import org.twinbridge.runtime.deadletter.DeadLetters;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.plugin.PluginHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code twinbridge deadletter list|replay|drop}: plugin deliveries parked after their retries ({@code P-n}) and
 * connector dead letters ({@code C-n}). Listing and dropping need no plugins; replaying loads them (signature
 * checks included) and the node's policy and consent, exactly as the node delivers. On SQLite run it
 * with the node stopped: beside a running node it waits for the node's writes and can fail with a busy error.
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
            try (NodeSession session = NodeSession.withoutKeys(config)) {
                // Listing reads metadata only: no keys, and an audit trail that is never written.
                listing = session.services().deadLetterAdmin().list(new DeadLetterService.Filter(
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
        int run(DeadLetterId deadLetter, NodeSession session) throws Exception {
            Replay outcome;
            // The node's own dispatcher (policy set or allow-list, consent registry, retry settings) and its
            // plugins, signature checks included.
            try (PluginHost plugins = session.services().loadPlugins()) {
                outcome = replay(session.services().deadLetterService(plugins.subscribers()), deadLetter);
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
        int run(DeadLetterId deadLetter, NodeSession session) throws Exception {
            try {
                // A drop delivers nothing, so it needs no plugins and no policy; it is audited with a signed trail.
                session.services().deadLetterAdmin().drop(deadLetter, NodeSession.actor());
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

        abstract int run(DeadLetterId deadLetter, NodeSession session) throws Exception;

        @Override
        public final Integer call() throws Exception {
            DeadLetterId deadLetter = parse(id());
            NodeConfig config = options.load(ConnectorRegistry.discover());
            try (NodeSession session = NodeSession.withKeys(config)) {
                return run(deadLetter, session);
            }
        }
    }

    private static DeadLetterId parse(String text) throws TwinBridgeCli.BadInputException {
        return DeadLetterId.parse(text).orElseThrow(() -> new TwinBridgeCli.BadInputException(
                "TB-DEADLETTER-011 '" + text + "' is not a dead-letter id; give P-12 (a parked delivery) or C-5 (a "
                        + "connector dead letter), as 'deadletter list' shows them"));
    }
}
