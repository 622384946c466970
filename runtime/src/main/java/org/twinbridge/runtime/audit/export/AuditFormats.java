package org.twinbridge.runtime.audit.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Collectors;
import org.twinbridge.runtime.audit.AuditRecord;

/** Renders audit entries for people (a table) and for programs (one JSON object per line). */
public final class AuditFormats {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditFormats() {
    }

    /** A fixed-width table; the last column holds the receipt for decisions, the details otherwise. */
    public static String table(List<AuditRecord> records) {
        StringBuilder out = new StringBuilder(String.format("%-7s %-24s %-16s %-16s %-8s %-7s %-36s %s%n", "POS",
                "TIME (UTC)", "KIND", "PLUGIN", "PURPOSE", "OUTCOME", "SUBJECT", "RECEIPT / DETAILS"));
        for (AuditRecord r : records) {
            String last = r.receipt().orElseGet(() -> r.details().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
            out.append(String.format("%-7d %-24s %-16s %-16s %-8s %-7s %-36s %s%n", r.position(), r.recordedAt(),
                    r.kind(), r.plugin().orElse("-"), r.purpose().orElse("-"), r.outcome().orElse("-"),
                    r.subject().isEmpty() ? "-" : r.subject(), last));
        }
        out.append(records.size()).append(records.size() == 1 ? " entry" : " entries").append('\n');
        return out.toString();
    }

    /** One JSON object per entry and line: position, time, kind, actor, subject, details, hash. */
    public static String ndjson(List<AuditRecord> records) {
        StringBuilder out = new StringBuilder();
        for (AuditRecord r : records) {
            ObjectNode node = JSON.createObjectNode();
            node.put("position", r.position());
            node.put("recorded", r.recordedAt().toString());
            node.put("kind", r.kind());
            node.put("actor", r.actor());
            node.put("subject", r.subject());
            ObjectNode details = node.putObject("details");
            r.details().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(e -> details.put(e.getKey(), e.getValue()));
            node.put("hash", r.hash());
            try {
                out.append(JSON.writeValueAsString(node)).append('\n');
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("TB-AUDIT-007 cannot render audit entry " + r.position(), e);
            }
        }
        return out.toString();
    }
}
