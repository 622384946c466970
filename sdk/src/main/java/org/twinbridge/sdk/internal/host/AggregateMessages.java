package org.twinbridge.sdk.internal.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.twinbridge.sdk.internal.host.Wire.ProtocolException;
import org.twinbridge.sdk.model.AggregateTable;

/**
 * The aggregate plugin's exchange, in protocol version {@value Wire#VERSION}: after the {@link Messages.Hello}, the
 * node sends one {@link Request} (the task's authorised views, as {@link Messages.Deliver} items, and the task's
 * parameters) and the child answers with one {@link Answer}: the table, or the class name of what the plugin threw
 * (never its message, which may quote a record). The node decodes the table here and then checks it as it would
 * any plugin's: a table that decodes is not thereby trusted.
 */
public final class AggregateMessages {

    private AggregateMessages() {
    }

    /** The task's authorised views and parameters. */
    public record Request(long exchangeId, List<Messages.Deliver> records, Map<String, String> parameters) {
        public Request {
            records = List.copyOf(records);
            parameters = Map.copyOf(parameters);
        }

        public byte[] encode() {
            Wire.Writer w = new Wire.Writer(Wire.AGGREGATE).i64(exchangeId).i32(records.size());
            for (Messages.Deliver d : records) {
                w.str(d.receiptId()).str(d.subject()).str(d.category());
                w.u8(d.effectiveEpochMillis().isPresent() ? 1 : 0);
                d.effectiveEpochMillis().ifPresent(w::i64);
                w.str(d.policyVersion()).str(d.resourceJson());
            }
            w.i32(parameters.size());
            parameters.forEach((k, v) -> w.str(k).str(v));
            return w.toByteArray();
        }

        public static Request decode(byte[] frame) throws ProtocolException {
            Wire.Reader r = Messages.typed(frame, Wire.AGGREGATE);
            long id = r.i64();
            List<Messages.Deliver> records = new ArrayList<>();
            for (int i = r.count(); i > 0; i--) {
                String receipt = r.str();
                String subject = r.str();
                String category = r.str();
                Optional<Long> effective = r.u8() == 1 ? Optional.of(r.i64()) : Optional.empty();
                records.add(new Messages.Deliver(receipt, subject, category, effective, r.str(), r.str()));
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            for (int i = r.count(); i > 0; i--) {
                parameters.put(r.str(), r.str());
            }
            r.end();
            return new Request(id, records, parameters);
        }

        @Override
        public String toString() {
            return "AggregateRequest[" + exchangeId + ", " + records.size() + " records]";
        }
    }

    /**
     * The child's answer: exactly one of {@code table} and {@code errorClass} is present.
     *
     * @param errorClass the class name of what the plugin threw (or returned null for), never a message
     */
    public record Answer(long exchangeId, Optional<AggregateTable> table, Optional<String> errorClass) {
        public Answer {
            if (table.isPresent() == errorClass.isPresent()) {
                throw new IllegalArgumentException("an answer holds a table or a failure, not both or neither");
            }
        }

        public byte[] encode() {
            Wire.Writer w = new Wire.Writer(Wire.AGGREGATE_RESULT).i64(exchangeId);
            if (errorClass.isPresent()) {
                return w.u8(2).str(errorClass.get()).toByteArray();
            }
            AggregateTable t = table.get();
            w.u8(1).str(t.title());
            strings(w, t.rows());
            strings(w, t.columns());
            for (List<Long> row : t.counts()) {
                row.forEach(w::i64);
            }
            w.i32(t.statistics().size());
            t.statistics().forEach(s -> w.str(s.name()).i64(s.n()).i64(Double.doubleToLongBits(s.value())));
            w.i32(t.contributors().size());
            t.contributors().stream().sorted().forEach(w::str);
            return w.toByteArray();
        }

        /** @throws ProtocolException for bad framing, or a table the SDK's own record would reject */
        public static Answer decode(byte[] frame) throws ProtocolException {
            Wire.Reader r = Messages.typed(frame, Wire.AGGREGATE_RESULT);
            long id = r.i64();
            int tag = r.u8();
            if (tag == 2) {
                String error = r.str();
                r.end();
                return new Answer(id, Optional.empty(), Optional.of(error));
            }
            if (tag != 1) {
                throw new ProtocolException("TB-PLUGIN-031 unknown aggregate answer tag " + tag);
            }
            String title = r.str();
            List<String> rows = strings(r);
            List<String> columns = strings(r);
            List<List<Long>> counts = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                List<Long> row = new ArrayList<>();
                for (int j = 0; j < columns.size(); j++) {
                    row.add(r.i64());
                }
                counts.add(row);
            }
            List<AggregateTable.Statistic> statistics = new ArrayList<>();
            List<Object[]> raw = new ArrayList<>();
            for (int i = r.count(); i > 0; i--) {
                raw.add(new Object[] {r.str(), r.i64(), Double.longBitsToDouble(r.i64())});
            }
            List<String> contributors = strings(r);
            r.end();
            try {
                raw.forEach(s -> statistics.add(new AggregateTable.Statistic((String) s[0], (Long) s[1],
                        (Double) s[2])));
                return new Answer(id, Optional.of(new AggregateTable(title, rows, columns, counts, statistics,
                        new java.util.HashSet<>(contributors))), Optional.empty());
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new ProtocolException("TB-PLUGIN-031 the plugin's table is malformed ("
                        + e.getClass().getSimpleName() + ")");
            }
        }

        @Override
        public String toString() {
            return "AggregateAnswer[" + exchangeId + ", " + table.map(AggregateTable::toString)
                    .orElse("failed: " + errorClass.orElse("")) + "]";
        }
    }

    private static void strings(Wire.Writer w, List<String> values) {
        w.i32(values.size());
        values.forEach(w::str);
    }

    private static List<String> strings(Wire.Reader r) throws ProtocolException {
        List<String> out = new ArrayList<>();
        for (int i = r.count(); i > 0; i--) {
            out.add(r.str());
        }
        return out;
    }
}
