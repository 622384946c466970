package org.twinbridge.runtime.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One connector's health and counters at one moment. Holds ids, codes, counts and times only, never source
 * content, so it may be shown to anyone who may see the node's health. Immutable.
 *
 * @param connectorId     the connector's id in the node configuration
 * @param type            the connector's type, e.g. {@code hl7v2}
 * @param state           UP, DEGRADED, DOWN or PAUSED
 * @param lastErrorKind   the last failure's or rejection's code (e.g. {@code TB-HL7-050}, {@code http-503}), or
 *                        null if there was none since the node started
 * @param lastErrorAt     when that was, or null
 * @param received        source messages received since the node started (see {@code ConnectorMonitor#received})
 * @param journalled      new records committed to the journal since the node started
 * @param failed          failures plus rejected messages since the node started
 * @param lag             the connector's lag as its type defines it, or null if it has not reported one yet
 * @param lastJournalledAt when records of this connector were last committed, or null
 */
public record ConnectorHealth(String connectorId, String type, ConnectorState state, String lastErrorKind,
        Instant lastErrorAt, long received, long journalled, long failed, Duration lag, Instant lastJournalledAt) {

    /** What a kind of error must look like: a code, never a sentence or a value from the source. */
    public static final Pattern KIND = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public ConnectorHealth {
        Objects.requireNonNull(connectorId, "connectorId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(state, "state");
        if (lastErrorKind != null && !KIND.matcher(lastErrorKind).matches()) {
            throw new IllegalArgumentException("lastErrorKind must be a code like TB-HL7-050");
        }
    }

    /**
     * One line for a terminal, e.g. {@code lab DEGRADED (TB-HL7-011) received 4 journalled 9 failed 1 lag 0.3s}. The
     * last error's kind is shown only while the connector is not UP.
     */
    public String summary() {
        String shown = state.name();
        if (lastErrorKind != null && state != ConnectorState.UP) {
            shown += " (" + lastErrorKind + ")";
        }
        String lagText = lag == null ? "-" : String.format(java.util.Locale.ROOT, "%.1fs", lagSeconds());
        return String.format(java.util.Locale.ROOT, "%s %s received %d journalled %d failed %d lag %s", connectorId,
                shown, received, journalled, failed, lagText);
    }

    /** The lag in seconds, or NaN if none was reported yet: the value of the {@code lag_seconds} gauge. */
    public double lagSeconds() {
        return lag == null ? Double.NaN : lag.toNanos() / 1e9;
    }
}
