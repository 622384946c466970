package org.twinbridge.sdk.connector;

/**
 * A connector setting is missing or invalid. The node reports it with the configuration file's position of
 * {@link #key()} and exits with code 2. The message says what was wrong and what is allowed.
 */
public final class ConnectorConfigException extends Exception {

    private static final long serialVersionUID = 1L;
    private final String key;

    public ConnectorConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The offending settings key, for example {@code base-url}. */
    public String key() {
        return key;
    }
}
