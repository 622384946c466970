package org.twinbridge.sdk.connector;

/**
 * What the node gives a connector: its settings, where to send records, and durable checkpoints.
 * Implementations are thread-safe.
 */
public interface ConnectorContext {

    /** The connector's id in the node configuration. Use it in route ids and metrics, never message content. */
    String connectorId();

    /** The connector's settings from the node configuration. */
    ConnectorSettings settings();

    /**
     * The Camel endpoint URI that journals a {@code List<CanonicalRecord>} body synchronously. The exchange
     * fails if the records could not be committed; on success the header {@link #JOURNALLED_HEADER} holds
     * the number of records that were new (duplicates are ignored and not counted).
     */
    String journalUri();

    /** Durable per-connector checkpoints, such as poll watermarks. */
    Checkpoints checkpoints();

    /** Header set by the journal endpoint: how many of the records were new. */
    String JOURNALLED_HEADER = "TwinBridgeJournalled";
}
