package org.twinbridge.connector.hl7v2.internal.mapping;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.Location;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.v28.message.ADT_A01;
import ca.uhn.hl7v2.model.v28.message.ADT_A03;
import ca.uhn.hl7v2.model.v28.message.ADT_A39;
import ca.uhn.hl7v2.model.v28.message.ORU_R01;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.connector.hl7v2.internal.wire.MshHeader;
import org.twinbridge.connector.hl7v2.internal.wire.Rejection;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * One HL7 v2 message to the records to journal: parse (canonical v2.8 model), map by type, then account for
 * every field that was not mapped. Each record's source id is {@code <type>/<id>}; ids derive from the sender,
 * the control id and the segment's position (or, for Patients and Encounters, from their identifiers), so a
 * resent message maps to the same records. Thread-safe.
 */
public final class MessageMapper {

    /** MSH fields the connector acts on: delimiters, routing (echoed in the ACK), type, id, version, charset. */
    private static final int[] MSH_HANDLED = {1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 15, 16, 18};
    private final MappingOptions options;
    private final Hl7Parser parser = new Hl7Parser();

    public MessageMapper(MappingOptions options) {
        this.options = options;
    }

    /**
     * Maps one message of a supported type.
     *
     * @param header the message's header as read from its MSH segment
     * @param text   the message, segments separated by CR
     * @throws MappingException if the message cannot be parsed or lacks what its type requires; the exception
     *                          carries the rejection to acknowledge it with and never message content
     */
    public List<CanonicalRecord> map(MshHeader header, String text, MessageType type) throws MappingException {
        Message message;
        try {
            message = parser.parse(text, type);
        } catch (HL7Exception e) {
            throw new MappingException(Rejection.unparseable(location(e.getLocation()), hl7Code(e)));
        } catch (RuntimeException e) {
            // HAPI fails on some malformed input with unchecked exceptions; for the sender it is the same error.
            throw new MappingException(Rejection.unparseable("", 102));
        }
        try {
            Ledger ledger = new Ledger(message);
            MessageContext context = new MessageContext(options, header, ledger);
            Segment msh = (Segment) message.get("MSH");
            ledger.mapped(msh, MSH_HANDLED);
            List<Resource> resources = switch (type) {
                case ORU_R01 -> new OruMapper(context).map((ORU_R01) message);
                case ADT_A40 -> new AdtMapper(context).merge((ADT_A39) message);
                case ADT_A03 -> {
                    ADT_A03 adt = (ADT_A03) message;
                    yield new AdtMapper(context).patientAndVisit(adt.getEVN(), adt.getPID(), adt.getPV1(),
                            VisitEvent.DISCHARGE);
                }
                default -> {
                    ADT_A01 adt = (ADT_A01) message;
                    yield new AdtMapper(context).patientAndVisit(adt.getEVN(), adt.getPID(), adt.getPV1(),
                            VisitEvent.of(type));
                }
            };
            if (resources.isEmpty()) {
                throw new MappingException(Rejection.missingSegment(type == MessageType.ORU_R01 ? "OBR" : "PID"));
            }
            Map<Resource, List<String>> unmapped = ledger.unmapped(message, primary(resources));
            List<CanonicalRecord> records = new ArrayList<>();
            for (Resource resource : resources) {
                records.add(new CanonicalRecord(options.connectorId(),
                        resource.fhirType() + "/" + resource.getIdPart(), resource,
                        unmapped.getOrDefault(resource, List.of())));
            }
            return records;
        } catch (HL7Exception e) {
            throw new MappingException(Rejection.unparseable(location(e.getLocation()), hl7Code(e)));
        } catch (InvalidValue e) {
            throw new MappingException(e.rejection());
        }
    }

    /** Message-level leftovers (MSH, SFT, Z-segments at the top) go with the report, else the first resource. */
    private static Resource primary(List<Resource> resources) {
        return resources.stream().filter(r -> r.fhirType().equals("DiagnosticReport")).findFirst()
                .orElse(resources.get(0));
    }

    private static String location(Location location) {
        if (location == null || location.getSegmentName() == null || !location.getSegmentName().matches("[A-Z0-9]{3}")) {
            return "";
        }
        return location.getSegmentName() + "^" + Math.max(1, location.getSegmentRepetition())
                + (location.getField() > 0 ? "^" + location.getField() : "");
    }

    private static int hl7Code(HL7Exception e) {
        int code = e.getErrorCode();
        return code >= 100 && code <= 103 ? code : 102;
    }
}
