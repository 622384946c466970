package org.twinbridge.tools.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.twinbridge.runtime.audit.AuditQuery;
import org.twinbridge.runtime.audit.AuditRecord;
import org.twinbridge.runtime.audit.JdbcAuditLog;
import org.twinbridge.runtime.audit.chain.ChainVerifier;
import org.twinbridge.runtime.audit.export.AuditFormats;
import org.twinbridge.runtime.audit.export.FhirAuditEvents;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.node.ConnectorRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code twinbridge audit}: verify and read the tamper-evident audit trail. */
@Command(name = "audit", description = "Verify and query the audit trail.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Query.class})
final class AuditCommand {

    /** {@code audit verify}: the whole chain and every checkpoint signature. Exit 0 intact, 1 broken. */
    @Command(name = "verify", description = "Check the whole hash chain and every checkpoint signature. Exits 0 "
            + "when intact, 1 naming the first bad position.")
    static final class Verify implements Callable<Integer> {

        @Mixin
        NodeOptions options;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = options.load(ConnectorRegistry.discover());
            JdbcAuditLog.Verification result;
            try (NodeSession session = NodeSession.withKeys(config)) {
                result = session.services().auditLog().verify();
            }
            ChainVerifier.Report chain = result.chain();
            result.warnings().forEach(System.err::println);
            if (result.intact()) {
                System.out.println("Audit trail intact: " + chain.entries() + " entries, " + chain.checkpointsVerified()
                        + " signed checkpoint(s) verified" + (chain.lastCheckpoint() > 0
                                ? " (last at position " + chain.lastCheckpoint() + ")" : "")
                        + "; " + (chain.entries() - chain.lastCheckpoint()) + " entries after the last checkpoint.");
                System.out.println("Head: position " + chain.entries() + ", hash " + chain.headHash());
                System.out.println("Decision log: " + result.decisionRowsChecked() + " row(s), each resolving to its "
                        + "audit entry by receipt id.");
                return TwinBridgeCli.OK;
            }
            System.err.println("Audit trail verification FAILED.");
            chain.problem().ifPresent(p -> System.err.println(p.code() + " first bad position " + p.position() + ": "
                    + p.message()));
            result.unchainedNote().ifPresent(System.err::println);
            result.headNote().ifPresent(System.err::println);
            if (result.decisionRowsUnmatched() > 0) {
                System.err.println("TB-AUDIT-020 " + result.decisionRowsUnmatched() + " decision_log row(s) do not "
                        + "resolve to a matching decision entry in the chain");
            }
            System.err.println("Checked " + chain.entries() + " entries and " + chain.checkpointsVerified()
                    + " checkpoint(s) before the first problem.");
            return TwinBridgeCli.RUNTIME_FAILURE;
        }
    }

    /** {@code audit query}: filtered entries as a table, NDJSON or FHIR AuditEvent NDJSON. */
    @Command(name = "query", description = "Show audit entries, oldest first. Needs no keys.")
    static final class Query implements Callable<Integer> {

        @Mixin
        NodeOptions options;

        @Option(names = "--plugin", paramLabel = "ID", description = "Decisions for this plugin.")
        String plugin;

        @Option(names = "--patient", paramLabel = "KEY", description = "Entries about this internal patient key.")
        String patient;

        @Option(names = "--purpose", paramLabel = "CODE", description = "Decisions under this purpose of use.")
        String purpose;

        @Option(names = "--decision", paramLabel = "permit|deny", description = "Only permits or only denies.")
        String decision;

        @Option(names = "--kind", paramLabel = "KIND", description = "Entry kind, e.g. decision, keys.rotate.")
        String kind;

        @Option(names = "--receipt", paramLabel = "ID", description = "The decision a privacy receipt resolves to.")
        String receipt;

        @Option(names = "--since", paramLabel = "T",
                description = "An instant (2026-01-31T12:00:00Z), a date (2026-01-31, UTC) or an age (30m, 24h, 7d).")
        String since;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "1000",
                description = "At most N entries, the newest (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
                description = "table (default), ndjson, or fhir (AuditEvent resources, one JSON per line).")
        String format;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = options.load(ConnectorRegistry.discover());
            if (!List.of("table", "ndjson", "fhir").contains(format)) {
                throw new TwinBridgeCli.BadInputException("TB-AUDIT-030 --format must be table, ndjson or fhir, not '"
                        + format + "'");
            }
            Optional<String> outcome = Optional.ofNullable(decision).map(d -> d.toUpperCase(Locale.ROOT));
            if (outcome.isPresent() && !List.of("PERMIT", "DENY").contains(outcome.get())) {
                throw new TwinBridgeCli.BadInputException("TB-AUDIT-031 --decision must be permit or deny, not '"
                        + decision + "'");
            }
            if (limit < 1) {
                throw new TwinBridgeCli.BadInputException("TB-AUDIT-032 --limit must be at least 1");
            }
            Optional<Instant> from;
            try {
                from = Optional.ofNullable(since).map(Query::instant);
            } catch (IllegalArgumentException e) {
                throw new TwinBridgeCli.BadInputException(e.getMessage());
            }
            AuditQuery query = new AuditQuery(Optional.ofNullable(plugin), Optional.ofNullable(patient),
                    Optional.ofNullable(purpose), outcome, from,
                    Optional.ofNullable(kind).or(() -> outcome.map(o -> "decision")), Optional.ofNullable(receipt),
                    limit);
            List<AuditRecord> records;
            try (NodeSession session = NodeSession.withoutKeys(config)) {
                records = session.services().auditLog().query(query);
            }
            System.out.print(switch (format) {
                case "ndjson" -> AuditFormats.ndjson(records);
                case "fhir" -> FhirAuditEvents.ndjson(records, config.node().id());
                default -> AuditFormats.table(records);
            });
            return TwinBridgeCli.OK;
        }

        static Instant instant(String text) {
            String t = text.strip();
            try {
                if (t.matches("[0-9]+[smhd]")) {
                    long n = Long.parseLong(t.substring(0, t.length() - 1));
                    Duration age = switch (t.charAt(t.length() - 1)) {
                        case 's' -> Duration.ofSeconds(n);
                        case 'm' -> Duration.ofMinutes(n);
                        case 'h' -> Duration.ofHours(n);
                        default -> Duration.ofDays(n);
                    };
                    return Instant.now().minus(age);
                }
                if (t.length() == 10) {
                    return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
                }
                return Instant.parse(t);
            } catch (DateTimeParseException | NumberFormatException e) {
                throw new IllegalArgumentException("TB-AUDIT-033 --since '" + text + "' is not an instant "
                        + "(2026-01-31T12:00:00Z), a date (2026-01-31) or an age (30m, 24h, 7d)");
            }
        }
    }
}
