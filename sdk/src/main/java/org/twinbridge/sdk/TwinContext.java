package org.twinbridge.sdk;

import java.time.Instant;
import org.twinbridge.sdk.model.TwinOutput;

/**
 * What a twin plugin may touch during one delivery: its own state and its output channel.
 *
 * <p>A context is bound to one delivery transaction and one thread. Do not keep it after the call returns.
 *
 * <p>Every context obeys the same per-delivery rules, stated and checked once in {@link DeliveryLimits}: at most
 * {@value DeliveryLimits#MAX_OUTPUTS_PER_DELIVERY} outputs, state subjects and keys of bounded length, and state
 * values of at most {@link StateStore#MAX_VALUE_BYTES} bytes. The node, the vendor harness and
 * {@code InMemoryTwinContext} enforce them alike; breaking one fails the delivery, which is rolled back.
 */
public interface TwinContext {

    /** The plugin's id, as in its manifest. */
    String pluginId();

    /** This plugin's private, encrypted, transactional key-value store. */
    StateStore state();

    /**
     * Emits an output. It is committed with the delivery and then passes the output policy before any sink
     * sees it; an output of a rolled-back delivery is never published.
     *
     * @throws IllegalStateException if this delivery already emitted
     *                               {@value DeliveryLimits#MAX_OUTPUTS_PER_DELIVERY} outputs
     */
    void emit(TwinOutput output);

    /** The node's clock; use it instead of {@link Instant#now()} so that replays and tests are repeatable. */
    Instant now();
}
