package org.twinbridge.connector.hl7v2.internal.mapping;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.connector.hl7v2.internal.wire.MshHeader;
import org.twinbridge.sdk.model.CanonicalRecord;

/** Maps test messages with the connector's mapper, the way the intake calls it. */
final class Mapped {

    static final MappingOptions OPTIONS = new MappingOptions("lab",
            Map.of("HOSP", "http://hospital.example.org/mrn"), Optional.empty(), ZoneOffset.UTC);

    private final List<CanonicalRecord> records;

    private Mapped(List<CanonicalRecord> records) {
        this.records = records;
    }

    static Mapped of(String message) throws MappingException {
        return of(message, OPTIONS);
    }

    static Mapped of(String message, MappingOptions options) throws MappingException {
        String text = message.replaceAll("\r+$", "");
        MshHeader header = MshHeader.read(text).orElseThrow();
        MessageType type = MessageType.of(header.messageCode(), header.triggerEvent()).orElseThrow();
        return new Mapped(new MessageMapper(options).map(header, text, type));
    }

    List<CanonicalRecord> records() {
        return records;
    }

    /** The resources of a type, in order. */
    <T extends Resource> List<T> all(Class<T> type) {
        return records.stream().map(CanonicalRecord::resource).filter(type::isInstance).map(type::cast).toList();
    }

    <T extends Resource> T first(Class<T> type) {
        return all(type).get(0);
    }

    /** The record holding this resource. */
    CanonicalRecord recordOf(Resource resource) {
        return records.stream().filter(r -> r.resource() == resource).findFirst().orElseThrow();
    }
}
