package org.twinbridge.federation.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.twinbridge.federation.disclosure.Cell;
import org.twinbridge.federation.disclosure.DisclosedTable;

/**
 * The JSON of tasks and answers, inside their CMS envelopes. A table's released cells are numbers, a primary
 * suppression is {@code "*"} and a complementary one {@code "**"}. Decoding fails with {@code TB-FED-018} on
 * anything unexpected. Stateless.
 */
public final class WireJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private WireJson() {
    }

    /** Malformed JSON or a missing field. */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super("TB-FED-018 " + message, null, false, false);
        }
    }

    public static byte[] encode(TaskRequest task) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "twinbridge.federated-task/1");
        n.put("taskId", task.taskId()).put("requester", task.requester()).put("plugin", task.plugin())
                .put("purpose", task.purpose()).put("nonce", task.nonce())
                .put("issuedAt", task.issuedAt().toString()).put("expiresAt", task.expiresAt().toString());
        ObjectNode p = n.putObject("parameters");
        task.parameters().forEach(p::put);
        return bytes(n);
    }

    public static TaskRequest decodeTask(byte[] json) throws Malformed {
        JsonNode n = tree(json);
        expectType(n, "twinbridge.federated-task/1");
        Map<String, String> parameters = new LinkedHashMap<>();
        JsonNode p = n.path("parameters");
        if (!p.isObject()) {
            throw new Malformed("the task has no parameters object");
        }
        p.fields().forEachRemaining(e -> parameters.put(e.getKey(), e.getValue().asText()));
        try {
            return new TaskRequest(text(n, "taskId"), text(n, "requester"), text(n, "plugin"), text(n, "purpose"),
                    parameters, text(n, "nonce"), Instant.parse(text(n, "issuedAt")),
                    Instant.parse(text(n, "expiresAt")));
        } catch (RuntimeException e) {
            throw new Malformed("the task is invalid (" + e.getClass().getSimpleName() + ")");
        }
    }

    public static byte[] encode(SiteAnswer answer) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "twinbridge.site-answer/1");
        n.put("taskId", answer.taskId()).put("site", answer.site()).put("status", answer.status().name());
        answer.reason().ifPresent(r -> n.put("reason", r));
        answer.releaseHash().ifPresent(h -> n.put("releaseHash", h));
        answer.auditEntry().ifPresent(a -> n.put("auditEntry", a));
        answer.table().ifPresent(t -> n.set("table", table(t)));
        return bytes(n);
    }

    /** The table's own encoding: the bytes whose hash is the release hash. */
    public static byte[] encode(DisclosedTable table) {
        return bytes(table(table));
    }

    private static ObjectNode table(DisclosedTable t) {
        ObjectNode n = JSON.createObjectNode();
        n.put("title", t.title()).put("cohort", t.cohort());
        ArrayNode rows = n.putArray("rows");
        t.rows().forEach(rows::add);
        ArrayNode columns = n.putArray("columns");
        t.columns().forEach(columns::add);
        ArrayNode cells = n.putArray("cells");
        for (List<Cell> row : t.cells()) {
            ArrayNode r = cells.addArray();
            for (Cell c : row) {
                if (c instanceof Cell.Released released) {
                    r.add(released.count());
                } else {
                    r.add(c.toString());
                }
            }
        }
        ArrayNode stats = n.putArray("statistics");
        for (DisclosedTable.ReleasedStatistic s : t.statistics()) {
            ObjectNode o = stats.addObject().put("name", s.name()).put("n", s.n());
            if (s.value().isPresent()) {
                o.put("value", s.value().getAsDouble());
            } else {
                o.put("value", "*");
            }
        }
        return n;
    }

    public static SiteAnswer decodeAnswer(byte[] json) throws Malformed {
        JsonNode n = tree(json);
        expectType(n, "twinbridge.site-answer/1");
        try {
            Optional<DisclosedTable> table = n.has("table") ? Optional.of(decodeTable(n.get("table")))
                    : Optional.empty();
            return new SiteAnswer(text(n, "taskId"), text(n, "site"), SiteAnswer.Status.valueOf(text(n, "status")),
                    optional(n, "reason"), table, optional(n, "releaseHash"), optional(n, "auditEntry"));
        } catch (RuntimeException e) {
            throw new Malformed("the answer is invalid (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static DisclosedTable decodeTable(JsonNode n) throws Malformed {
        List<String> rows = strings(n.path("rows"));
        List<String> columns = strings(n.path("columns"));
        List<List<Cell>> cells = new ArrayList<>();
        for (JsonNode r : n.path("cells")) {
            List<Cell> row = new ArrayList<>();
            for (JsonNode c : r) {
                if (c.isIntegralNumber()) {
                    row.add(new Cell.Released(c.asLong()));
                } else if ("*".equals(c.asText())) {
                    row.add(new Cell.Suppressed(Cell.Why.PRIMARY));
                } else if ("**".equals(c.asText())) {
                    row.add(new Cell.Suppressed(Cell.Why.COMPLEMENTARY));
                } else {
                    throw new Malformed("a table cell is neither a count nor a suppression mark");
                }
            }
            if (row.size() != columns.size()) {
                throw new Malformed("a table row has the wrong number of cells");
            }
            cells.add(row);
        }
        if (cells.size() != rows.size()) {
            throw new Malformed("the table has the wrong number of rows");
        }
        List<DisclosedTable.ReleasedStatistic> statistics = new ArrayList<>();
        for (JsonNode s : n.path("statistics")) {
            JsonNode v = s.path("value");
            statistics.add(new DisclosedTable.ReleasedStatistic(s.path("name").asText(), s.path("n").asLong(),
                    v.isNumber() ? OptionalDouble.of(v.asDouble()) : OptionalDouble.empty()));
        }
        return new DisclosedTable(text(n, "title"), rows, columns, cells, statistics, n.path("cohort").asLong());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.asText()));
        return out;
    }

    private static JsonNode tree(byte[] json) throws Malformed {
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null || !n.isObject()) {
                throw new Malformed("expected a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new Malformed("not JSON");
        }
    }

    private static void expectType(JsonNode n, String type) throws Malformed {
        if (!type.equals(n.path("type").asText())) {
            throw new Malformed("expected a " + type + ", got '" + n.path("type").asText() + "'");
        }
    }

    private static String text(JsonNode n, String field) throws Malformed {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new Malformed("missing field '" + field + "'");
        }
        return v.asText();
    }

    private static Optional<String> optional(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    private static byte[] bytes(JsonNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to memory cannot fail", e);
        }
    }
}
