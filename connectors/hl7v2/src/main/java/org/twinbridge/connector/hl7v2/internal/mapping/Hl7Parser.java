package org.twinbridge.connector.hl7v2.internal.mapping;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.AbstractMessage;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v28.message.ADT_A01;
import ca.uhn.hl7v2.model.v28.message.ADT_A03;
import ca.uhn.hl7v2.model.v28.message.ADT_A39;
import ca.uhn.hl7v2.model.v28.message.ORU_R01;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.ModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;

/**
 * HAPI's pipe parser set up to read every accepted version (2.3 to 2.8) into one canonical model, the v2.8
 * structures: later versions keep the field positions of earlier ones, and fields withdrawn since are still
 * parsed (as NULLDT) so nothing is lost. The structure is chosen from the message type, not from MSH-9.3,
 * because senders name structures that a version does not define (ADT_A08, ADT_A40). No validation: content
 * rules are the mapping's business, and a failed rule must not reject an otherwise usable message. OBX-5 of a
 * type v2.8 no longer defines (CE, TS) is read as ST with its components kept.
 *
 * <p>Thread-safe: HAPI's pipe parser caches structure definitions in an unsynchronised map, so parses are
 * serialised (a parse takes milliseconds; the journal serialises appends anyway).
 */
final class Hl7Parser {

    private final ModelClassFactory factory = new CanonicalModelClassFactory("2.8");
    private final PipeParser parser;

    Hl7Parser() {
        HapiContext hapi = new DefaultHapiContext();
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        hapi.setModelClassFactory(factory);
        hapi.getParserConfiguration().setInvalidObx2Type("ST");
        hapi.getParserConfiguration().setDefaultObx2Type("ST");
        parser = hapi.getPipeParser();
    }

    /** Parses the text (segments separated by CR) into the structure of the given type. */
    synchronized Message parse(String text, MessageType type) throws HL7Exception {
        AbstractMessage message = switch (type.structure()) {
            case "ORU_R01" -> new ORU_R01(factory);
            case "ADT_A03" -> new ADT_A03(factory);
            case "ADT_A39" -> new ADT_A39(factory);
            default -> new ADT_A01(factory);
        };
        message.setParser(parser);
        parser.parse(message, text);
        return message;
    }
}
