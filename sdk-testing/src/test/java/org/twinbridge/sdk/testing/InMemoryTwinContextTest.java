package org.twinbridge.sdk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.twinbridge.sdk.DeliveryLimits;
import org.twinbridge.sdk.StateStore;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.TwinOutput;

/** The in-memory context holds a plugin to the same per-delivery rules as the node and the harness. */
class InMemoryTwinContextTest {

    private static final AuthorisedRecord RECORD = new AuthorisedRecord("subject-1", new Observation(), "vital-signs",
            Optional.empty(), "receipt-1", "policy-1");

    private final InMemoryTwinContext context = new InMemoryTwinContext("limits-twin");

    @Test
    void deliver_withOneOutputTooMany_fails() {
        assertThatThrownBy(() -> context.deliver(emitting(DeliveryLimits.MAX_OUTPUTS_PER_DELIVERY + 1), RECORD))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("at most 100 outputs");
    }

    @Test
    void deliver_atTheLimit_passes_andEachDeliveryCountsAfresh() throws Exception {
        context.deliver(emitting(DeliveryLimits.MAX_OUTPUTS_PER_DELIVERY), RECORD);
        context.deliver(emitting(DeliveryLimits.MAX_OUTPUTS_PER_DELIVERY), RECORD);
        assertThat(context.outputs()).hasSize(2 * DeliveryLimits.MAX_OUTPUTS_PER_DELIVERY);
    }

    @Test
    void put_overTheValueLimit_orWithAnOverlongKey_fails() {
        String tooLarge = "x".repeat(StateStore.MAX_VALUE_BYTES + 1);
        assertThatThrownBy(() -> context.state().put("subject-1", "k", tooLarge))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> context.state().put("subject-1", "k".repeat(DeliveryLimits.MAX_KEY_LENGTH + 1), "v"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> context.state().put("", "k", "v")).isInstanceOf(IllegalArgumentException.class);
    }

    private static TwinModel emitting(int outputs) {
        return new TwinModel() {
            @Override
            public org.twinbridge.sdk.model.PluginManifest manifest() {
                throw new UnsupportedOperationException("not needed by the context");
            }

            @Override
            public void onRecord(AuthorisedRecord record, org.twinbridge.sdk.TwinContext context) {
                for (int i = 0; i < outputs; i++) {
                    context.emit(new TwinOutput(record.subject(), OutputKind.values()[0], new Observation(), "n" + i));
                }
            }

            @Override
            public void onErase(String subject, org.twinbridge.sdk.TwinContext context) {
            }
        };
    }
}
