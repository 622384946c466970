package org.twinbridge.connector.hl7v2.internal.mapping;

import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Identifier;
import org.twinbridge.connector.hl7v2.internal.wire.MshHeader;
import org.twinbridge.connector.hl7v2.internal.wire.Rejection;

/**
 * What mapping one message needs besides the message: the options, its header, its ledger and date reading.
 * Not thread-safe: one per message.
 */
final class MessageContext {

    private final MappingOptions options;
    private final MshHeader header;
    private final Ledger ledger;
    private final Hl7Dates dates;
    private final char escape;

    MessageContext(MappingOptions options, MshHeader header, Ledger ledger) {
        this.options = options;
        this.header = header;
        this.ledger = ledger;
        this.dates = new Hl7Dates(options.zone());
        String delimiters = header.encodingCharacters();
        this.escape = delimiters.length() > 2 ? delimiters.charAt(2) : '\\';
    }

    /** Text from a TX, FT or ST value with HL7 formatting commands and hex escapes resolved. */
    String text(String value) {
        return FormattedText.plain(value, escape);
    }

    Ledger ledger() {
        return ledger;
    }

    Hl7Dates dates() {
        return dates;
    }

    /**
     * A DTM/TS field as a dateTime: empty if the field is empty.
     *
     * @throws InvalidValue if the field holds something that is not a valid date and time
     */
    Optional<DateTimeType> dateTime(Segment segment, int field) {
        String text = Fields.first(segment, field);
        return text.isEmpty() ? Optional.empty()
                : Optional.of(dates.dateTime(text).orElseThrow(() -> invalid(segment, field, "DTM")));
    }

    /** A DT/DTM field as a date (birth dates): empty if the field is empty; throws {@link InvalidValue} if bad. */
    Optional<DateType> date(Segment segment, int field) {
        String text = Fields.first(segment, field);
        return text.isEmpty() ? Optional.empty()
                : Optional.of(dates.date(text).orElseThrow(() -> invalid(segment, field, "DT")));
    }

    /**
     * A DTM field as an instant: empty if the field is empty or holds less than a full date and time (FHIR
     * instants need seconds; the caller falls back to another time).
     *
     * @throws InvalidValue if the field holds something that is not a valid date and time
     */
    Optional<InstantType> instant(Segment segment, int field) {
        dateTime(segment, field);
        return dates.instant(Fields.first(segment, field));
    }

    /** The rejection for a field whose value does not parse as its type; names the place, never the value. */
    InvalidValue invalid(Segment segment, int field, String type) {
        return new InvalidValue(Rejection.invalidValue(segment.getName(), ledger.sequence(segment), field, type));
    }

    MappingOptions options() {
        return options;
    }

    /**
     * The id of a resource that stands for one segment of this message: derived from the sender, the message
     * control id and the segment's position, so that a resent message yields the same id.
     */
    String segmentId(String resourceType, Segment segment) {
        return Ids.of(resourceType, header.field(3), header.field(4), header.controlId(),
                String.valueOf(ledger.position(segment)));
    }

    /**
     * An identifier from a CX value: CX-1 value, CX-4 assigning authority as the system, CX-5 type (table 0203).
     * Empty without a value.
     */
    Optional<Identifier> identifier(Type cx) {
        String value = Fields.get(cx, 1);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Identifier identifier = new Identifier().setValue(value).setSystem(options.identifierSystem(
                Fields.get(cx, 4, 1), Fields.get(cx, 4, 2), Fields.get(cx, 4, 3), header.sendingFacility()));
        String type = Fields.get(cx, 5);
        if (!type.isEmpty()) {
            identifier.setType(Codings.table("0203", type));
        }
        return Optional.of(identifier);
    }

    /** An identifier from an EI value (EI-1 value, EI-2 namespace, EI-3 universal id, EI-4 its type). */
    Optional<Identifier> entityIdentifier(Type ei, String typeCode) {
        String value = Fields.get(ei, 1);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        CodeableConcept type = Codings.table("0203", typeCode);
        return Optional.of(new Identifier().setValue(value).setType(type).setSystem(options.identifierSystem(
                Fields.get(ei, 2), Fields.get(ei, 3), Fields.get(ei, 4), header.sendingFacility())));
    }
}
