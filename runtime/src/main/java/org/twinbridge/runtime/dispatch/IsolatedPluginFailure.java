package org.twinbridge.runtime.dispatch;

import java.util.Objects;
import org.twinbridge.runtime.deadletter.DeliveryFailure;

/**
 * Thrown by the proxy of a plugin that runs in its own process, when a delivery failed there or the process
 * failed under it. The dispatcher treats it as any plugin failure (retried, then parked) but keeps the kind the
 * proxy determined, since the plugin's exception object never crosses the process boundary.
 */
public final class IsolatedPluginFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient DeliveryFailure failure;

    public IsolatedPluginFailure(DeliveryFailure failure) {
        super("plugin failed: " + failure.describe(), null, false, false);
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    public DeliveryFailure failure() {
        return failure;
    }
}
