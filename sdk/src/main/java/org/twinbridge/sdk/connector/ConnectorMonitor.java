package org.twinbridge.sdk.connector;

import java.time.Duration;

/**
 * Where a connector reports what it does, for the node's health and metrics. The node counts journalled records
 * itself at the journal endpoint; a connector reports the rest: what it received, when a unit of work succeeded or
 * failed, messages it rejected for good, and its lag.
 *
 * <p><b>Kinds.</b> {@link #failed} and {@link #rejected} take a short, stable code, never a message: for example
 * {@code TB-HL7-050}, {@code http-503}, {@code connection-refused}, {@code journal-failed}. Operators see it in
 * health output and it may end up in dashboards, so it must never hold record content, a file name, a topic or any
 * other value from the source. A kind that does not match {@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}} is replaced
 * with {@code invalid-kind} by the node.
 *
 * <p><b>Health.</b> Each {@link #failed} continues a failure streak that only a success ends: a journal commit of
 * the connector's records, or {@link #succeeded}. A streak makes the connector DEGRADED, and DOWN once it is
 * sustained. {@link #rejected} counts as failed and makes the connector DEGRADED for a while, but never DOWN: bad
 * input is the source's problem, not the connector's.
 *
 * <p>Implementations are thread-safe and cheap to call; they never throw.
 */
public interface ConnectorMonitor {

    /**
     * Source messages received, before mapping: an MLLP message (each message of a batch), an MQTT message, a
     * dropped file, or a resource fetched by a poll.
     */
    void received(int messages);

    /**
     * A unit of work completed: a poll finished, a message was acknowledged, a connection was (re-)established.
     * Ends a failure streak. A commit to the journal endpoint counts as a success without this call.
     */
    void succeeded();

    /** The connector could not do its work: the source is unreachable, answered an error, or a commit failed. */
    void failed(String kind);

    /** A source message was rejected for good (a dead letter, an HL7 AE/AR). Counts as failed; never makes DOWN. */
    void rejected(String kind);

    /**
     * The connector's current lag, as it defines it for its source; see each connector's documentation. A negative
     * value (a source clock ahead of ours) is recorded as zero.
     */
    void lag(Duration lag);

    /** A monitor that records nothing, for contexts outside a node (tools, unit tests of a mapping). */
    static ConnectorMonitor none() {
        return new ConnectorMonitor() {
            @Override
            public void received(int messages) {
            }

            @Override
            public void succeeded() {
            }

            @Override
            public void failed(String kind) {
            }

            @Override
            public void rejected(String kind) {
            }

            @Override
            public void lag(Duration lag) {
            }

            @Override
            public String toString() {
                return "ConnectorMonitor.none()";
            }
        };
    }
}
