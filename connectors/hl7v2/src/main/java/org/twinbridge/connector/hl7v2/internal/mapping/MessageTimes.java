package org.twinbridge.connector.hl7v2.internal.mapping;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.twinbridge.connector.hl7v2.internal.wire.MshHeader;

/** When a message says it was sent (MSH-7), read like every other HL7 date/time of the connector. */
public final class MessageTimes {

    private MessageTimes() {
    }

    /** MSH-7 as an instant (at least to the second), or empty if it is absent or not a valid DTM. */
    public static Optional<Instant> sentAt(MshHeader header, ZoneId zone) {
        return new Hl7Dates(zone).instant(header.component(7, 1)).map(i -> i.getValue().toInstant());
    }
}
