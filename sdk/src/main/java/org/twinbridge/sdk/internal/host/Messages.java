package org.twinbridge.sdk.internal.host;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.twinbridge.sdk.internal.host.Wire.ProtocolException;
import org.twinbridge.sdk.model.CodeFilter;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.PluginManifest;

/**
 * The messages of protocol version {@value Wire#VERSION}. Resources travel as FHIR JSON text.
 *
 * <ul>
 *   <li>child → node, once: {@link Hello} (magic, version, the plugin's manifest), or {@link Fatal} if the plugin
 *       cannot load;</li>
 *   <li>node → child: {@link Batch}, a run of deliveries and erasures with the twin state of every subject they
 *       name; the child answers each batch with one {@link Result};</li>
 *   <li>node → child: {@code SHUTDOWN}, and the child exits.</li>
 * </ul>
 */
public final class Messages {

    private Messages() {
    }

    /** The child's greeting: which protocol it speaks and which plugin it holds. */
    public record Hello(int version, PluginManifest manifest) {
        public byte[] encode() {
            Wire.Writer w = new Wire.Writer(Wire.HELLO).i32(Wire.MAGIC).i32(version);
            PluginManifest m = manifest;
            w.str(m.id()).str(m.version()).str(m.vendor()).str(m.description());
            strings(w, m.request().resourceTypes());
            w.i32(m.request().codes().size());
            m.request().codes().forEach(c -> w.str(c.system()).str(c.code()));
            strings(w, m.request().purposes());
            w.i32(m.outputs().size());
            m.outputs().forEach(k -> w.str(k.name()));
            return w.toByteArray();
        }

        /** @throws ProtocolException for a bad magic, a frame of another type or an invalid manifest */
        public static Hello decode(byte[] frame) throws ProtocolException {
            Wire.Reader r = typed(frame, Wire.HELLO);
            if (r.i32() != Wire.MAGIC) {
                throw new ProtocolException("TB-PLUGIN-031 the plugin process did not greet with the protocol's magic");
            }
            int version = r.i32();
            if (version != Wire.VERSION) {
                return new Hello(version, null);
            }
            String id = r.str();
            String pluginVersion = r.str();
            String vendor = r.str();
            String description = r.str();
            Set<String> types = stringSet(r);
            Set<CodeFilter> codes = new HashSet<>();
            for (int i = r.count(); i > 0; i--) {
                codes.add(new CodeFilter(r.str(), r.str()));
            }
            Set<String> purposes = stringSet(r);
            List<OutputKind> outputs = new ArrayList<>();
            List<String> outputNames = new ArrayList<>();
            for (int i = r.count(); i > 0; i--) {
                outputNames.add(r.str());
            }
            r.end();
            try {
                outputNames.forEach(n -> outputs.add(OutputKind.valueOf(n)));
                return new Hello(version, new PluginManifest(id, pluginVersion, vendor, description,
                        new DataRequest(types, codes, purposes), outputs));
            } catch (RuntimeException e) {
                throw new ProtocolException("TB-PLUGIN-031 the plugin's manifest is invalid ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
    }

    /** The plugin could not be loaded; {@code reason} names a TB code and never quotes plugin output. */
    public record Fatal(String reason) {
        public byte[] encode() {
            return new Wire.Writer(Wire.FATAL).str(reason).toByteArray();
        }

        public static Fatal decode(byte[] frame) throws ProtocolException {
            Wire.Reader r = typed(frame, Wire.FATAL);
            String reason = r.str();
            r.end();
            return new Fatal(reason.length() <= 300 ? reason : reason.substring(0, 300));
        }
    }

    /** One item of a batch. */
    public sealed interface Item permits Deliver, Erase {
    }

    /** An authorised view to deliver, with its privacy receipt id. */
    public record Deliver(String receiptId, String subject, String category, Optional<Long> effectiveEpochMillis,
            String policyVersion, String resourceJson) implements Item {
        public Deliver {
            Objects.requireNonNull(effectiveEpochMillis, "effectiveEpochMillis");
        }

        @Override
        public String toString() {
            return "Deliver[receipt=" + receiptId + "]";
        }
    }

    /** A subject to forget. */
    public record Erase(String subject) implements Item {
    }

    /**
     * A batch of items, the node's clock, and the twin state of the subjects the items name
     * (subject → key → value).
     */
    public record Batch(long batchId, long nowEpochMillis, List<Item> items, Map<String, Map<String, String>> state) {
        public Batch {
            items = List.copyOf(items);
            state = Map.copyOf(state);
        }

        public byte[] encode() {
            Wire.Writer w = new Wire.Writer(Wire.BATCH).i64(batchId).i64(nowEpochMillis).i32(items.size());
            for (Item item : items) {
                if (item instanceof Deliver d) {
                    w.u8(1).str(d.receiptId()).str(d.subject()).str(d.category());
                    w.u8(d.effectiveEpochMillis().isPresent() ? 1 : 0);
                    d.effectiveEpochMillis().ifPresent(w::i64);
                    w.str(d.policyVersion()).str(d.resourceJson());
                } else if (item instanceof Erase e) {
                    w.u8(2).str(e.subject());
                }
            }
            w.i32(state.size());
            state.forEach((subject, values) -> {
                w.str(subject).i32(values.size());
                values.forEach((k, v) -> w.str(k).str(v));
            });
            return w.toByteArray();
        }

        public static Batch decode(byte[] frame) throws ProtocolException {
            Wire.Reader r = typed(frame, Wire.BATCH);
            long id = r.i64();
            long now = r.i64();
            List<Item> items = new ArrayList<>();
            for (int i = r.count(); i > 0; i--) {
                int tag = r.u8();
                if (tag == 1) {
                    String receipt = r.str();
                    String subject = r.str();
                    String category = r.str();
                    Optional<Long> effective = r.u8() == 1 ? Optional.of(r.i64()) : Optional.empty();
                    items.add(new Deliver(receipt, subject, category, effective, r.str(), r.str()));
                } else if (tag == 2) {
                    items.add(new Erase(r.str()));
                } else {
                    throw new ProtocolException("TB-PLUGIN-031 unknown batch item tag " + tag);
                }
            }
            Map<String, Map<String, String>> state = new LinkedHashMap<>();
            for (int i = r.count(); i > 0; i--) {
                String subject = r.str();
                Map<String, String> values = new LinkedHashMap<>();
                for (int j = r.count(); j > 0; j--) {
                    values.put(r.str(), r.str());
                }
                state.put(subject, values);
            }
            r.end();
            return new Batch(id, now, items, state);
        }
    }

    /** An output the plugin emitted, as FHIR JSON. */
    public record Output(String subject, String kind, String summary, String resourceJson) {
        @Override
        public String toString() {
            return "Output[kind=" + kind + "]";
        }
    }

    /** A state write: a put when {@code value} is present, else a delete. */
    public record Change(String subject, String key, Optional<String> value) {
    }

    /** What one item came to. */
    public sealed interface Outcome permits Done, Failed {
    }

    /** The item completed: its outputs and state changes, in order. */
    public record Done(List<Output> outputs, List<Change> changes) implements Outcome {
        public Done {
            outputs = List.copyOf(outputs);
            changes = List.copyOf(changes);
        }
    }

    /**
     * The plugin threw on the item: the exception's class name and a failure kind, never its message. The child
     * stops the batch at a failed item; later items have no outcome.
     */
    public record Failed(String errorClass, String kind) implements Outcome {
    }

    /** The answer to one batch: one outcome per item, in order, up to and including the first failure. */
    public record Result(long batchId, List<Outcome> outcomes) {
        public Result {
            outcomes = List.copyOf(outcomes);
        }

        public byte[] encode() {
            Wire.Writer w = new Wire.Writer(Wire.RESULT).i64(batchId).i32(outcomes.size());
            for (Outcome outcome : outcomes) {
                if (outcome instanceof Done d) {
                    w.u8(1).i32(d.outputs().size());
                    d.outputs().forEach(o -> w.str(o.subject()).str(o.kind()).str(o.summary())
                            .str(o.resourceJson()));
                    w.i32(d.changes().size());
                    for (Change c : d.changes()) {
                        w.u8(c.value().isPresent() ? 1 : 2).str(c.subject()).str(c.key());
                        c.value().ifPresent(w::str);
                    }
                } else if (outcome instanceof Failed f) {
                    w.u8(2).str(f.errorClass()).str(f.kind());
                }
            }
            return w.toByteArray();
        }

        public static Result decode(byte[] frame) throws ProtocolException {
            Wire.Reader r = typed(frame, Wire.RESULT);
            long id = r.i64();
            List<Outcome> outcomes = new ArrayList<>();
            for (int i = r.count(); i > 0; i--) {
                int tag = r.u8();
                if (tag == 1) {
                    List<Output> outputs = new ArrayList<>();
                    for (int j = r.count(); j > 0; j--) {
                        outputs.add(new Output(r.str(), r.str(), r.str(), r.str()));
                    }
                    List<Change> changes = new ArrayList<>();
                    for (int j = r.count(); j > 0; j--) {
                        int op = r.u8();
                        String subject = r.str();
                        String key = r.str();
                        if (op == 1) {
                            changes.add(new Change(subject, key, Optional.of(r.str())));
                        } else if (op == 2) {
                            changes.add(new Change(subject, key, Optional.empty()));
                        } else {
                            throw new ProtocolException("TB-PLUGIN-031 unknown state change op " + op);
                        }
                    }
                    outcomes.add(new Done(outputs, changes));
                } else if (tag == 2) {
                    outcomes.add(new Failed(r.str(), r.str()));
                } else {
                    throw new ProtocolException("TB-PLUGIN-031 unknown outcome tag " + tag);
                }
            }
            r.end();
            return new Result(id, outcomes);
        }
    }

    /** The type byte of a frame. */
    public static byte type(byte[] frame) {
        return frame[0];
    }

    static Wire.Reader typed(byte[] frame, byte type) throws ProtocolException {
        Wire.Reader r = new Wire.Reader(frame);
        int actual = r.u8();
        if (actual != type) {
            throw new ProtocolException("TB-PLUGIN-031 expected a frame of type " + type + ", got " + actual);
        }
        return r;
    }

    private static void strings(Wire.Writer w, Set<String> values) {
        w.i32(values.size());
        values.stream().sorted().forEach(w::str);
    }

    private static Set<String> stringSet(Wire.Reader r) throws ProtocolException {
        Set<String> out = new HashSet<>();
        for (int i = r.count(); i > 0; i--) {
            out.add(r.str());
        }
        return out;
    }
}
