package org.twinbridge.runtime.dispatch;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.twinbridge.sdk.DeliveryLimits;
import org.twinbridge.sdk.StateStore;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.model.TwinOutput;

/** The {@link TwinContext} of one delivery: bound to its transaction, collecting outputs until commit. */
final class DeliveryContext implements TwinContext {

    private final String pluginId;
    private final StateStore state;
    private final Clock clock;
    private final List<TwinOutput> outputs = new ArrayList<>();

    DeliveryContext(String pluginId, StateStore state, Clock clock) {
        this.pluginId = pluginId;
        this.state = state;
        this.clock = clock;
    }

    @Override
    public String pluginId() {
        return pluginId;
    }

    @Override
    public StateStore state() {
        return state;
    }

    @Override
    public void emit(TwinOutput output) {
        DeliveryLimits.checkEmit(outputs.size());
        outputs.add(output);
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    List<TwinOutput> outputs() {
        return List.copyOf(outputs);
    }
}
