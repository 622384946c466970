package org.twinbridge.sdk.connector;

/**
 * What the node gives a connector: its settings, where to send records, and durable checkpoints.
 * Implementations are thread-safe.
 */
public interface ConnectorContext {

    /** The connector's id in the node configuration. Use it in route ids and metrics, never message content. */
    String connectorId();

    /**
     * The node's id ({@code node.id}), for names that must be stable and unique per node and connector, such as
     * an MQTT client id.
     */
    String nodeId();

    /**
     * The directory that relative paths in {@link #settings()} are resolved against: the directory of the
     * node's configuration file. The default is the working directory, where a path would resolve anyway.
     */
    default java.nio.file.Path configDirectory() {
        return java.nio.file.Path.of("").toAbsolutePath();
    }

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

    /**
     * The Camel endpoint URI that durably records a {@link DeadLetter} body: a source message that will never
     * become records. Like {@link #journalUri()} it returns only after the commit and fails the exchange
     * otherwise, so a connector acknowledges a rejected message only after it returns.
     */
    String deadLetterUri();

    /**
     * Where the connector reports received messages, successes, failures, rejections and lag for the node's health
     * and metrics. The node always supplies its own; the default records nothing, for contexts outside a node.
     */
    default ConnectorMonitor monitor() {
        return ConnectorMonitor.none();
    }

    /** Header set by the journal endpoint: how many of the records were new. */
    String JOURNALLED_HEADER = "TwinBridgeJournalled";
}
