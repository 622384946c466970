package org.twinbridge.sdk;

import java.time.Instant;
import org.twinbridge.sdk.model.TwinOutput;

/**
 * What a twin plugin may touch during one delivery: its own state and its output channel.
 *
 * <p>A context is bound to one delivery transaction and one thread. Do not keep it after the call returns.
 */
public interface TwinContext {

    /** The plugin's id, as in its manifest. */
    String pluginId();

    /** This plugin's private, encrypted, transactional key-value store. */
    StateStore state();

    /**
     * Emits an output. It is committed with the delivery and then passes the output policy before any sink
     * sees it; an output of a rolled-back delivery is never published.
     */
    void emit(TwinOutput output);

    /** The node's clock; use it instead of {@link Instant#now()} so that replays and tests are repeatable. */
    Instant now();
}
