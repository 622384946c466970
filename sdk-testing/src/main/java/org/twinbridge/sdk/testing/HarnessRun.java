package org.twinbridge.sdk.testing;

import java.util.List;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.TwinOutput;

/**
 * The result of feeding records to a plugin through the harness.
 *
 * @param deliveries one entry per input record, in delivery order (effective time)
 */
public record HarnessRun(List<Delivery> deliveries) {

    public HarnessRun {
        deliveries = List.copyOf(deliveries);
    }

    /** Every committed output, in the order the plugin emitted them. */
    public List<TwinOutput> outputs() {
        return deliveries.stream().flatMap(d -> d.outputs().stream()).toList();
    }

    /** The committed outputs of one kind. */
    public List<TwinOutput> outputs(OutputKind kind) {
        return outputs().stream().filter(o -> o.kind() == kind).toList();
    }

    /** How many records had this outcome. */
    public long count(Delivery.Outcome outcome) {
        return deliveries.stream().filter(d -> d.outcome() == outcome).count();
    }
}
