package org.twinbridge.sdk.connector;

import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A source message that a connector could not turn into records and will not retry: not JSON, the wrong
 * schema, too large. The connector sends it to {@link ConnectorContext#deadLetterUri()} and then acknowledges
 * the source, so that the source does not redeliver it forever.
 *
 * <p>The reason is read by operators and shown in {@code journal stats}, so it must never hold message content:
 * name the rule that failed and where (a JSON path, a line number), not the value. The payload may hold PHI;
 * the node stores it encrypted and never logs it. {@link #toString()} prints metadata only. Immutable.
 *
 * @param connectorId the connector's id in the node configuration
 * @param reasonCode  a stable code for the kind of failure, e.g. {@code TB-MQTT-030}
 * @param reason      what was wrong, without message content
 * @param payload     the message as received, or as much of it as was read (empty for a file too large to read);
 *                    copied
 * @param origin      where the source says the message came from, when that tells rejected inputs apart beyond
 *                    their bytes (a file's name); may hold PHI, so the node only hashes it; "" if none
 */
public record DeadLetter(String connectorId, String reasonCode, String reason, byte[] payload, String origin) {

    private static final Pattern CODE = Pattern.compile("TB-[A-Z0-9]+(-[A-Z0-9]+)*");

    public DeadLetter {
        Objects.requireNonNull(connectorId, "connectorId");
        Objects.requireNonNull(reason, "reason");
        if (reasonCode == null || !CODE.matcher(reasonCode).matches()) {
            throw new IllegalArgumentException("reasonCode must look like TB-MQTT-030, not " + reasonCode);
        }
        payload = payload.clone();
        Objects.requireNonNull(origin, "origin");
    }

    /** A dead letter told apart by its payload alone (a network message: its bytes are all there is). */
    public DeadLetter(String connectorId, String reasonCode, String reason, byte[] payload) {
        this(connectorId, reasonCode, reason, payload, "");
    }

    /** A copy of the payload as received. */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DeadLetter d && connectorId.equals(d.connectorId) && reasonCode.equals(d.reasonCode)
                && reason.equals(d.reason) && Arrays.equals(payload, d.payload) && origin.equals(d.origin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(connectorId, reasonCode, reason, Arrays.hashCode(payload), origin);
    }

    @Override
    public String toString() {
        return "DeadLetter[connector=" + connectorId + ", code=" + reasonCode + ", bytes=" + payload.length + "]";
    }
}
