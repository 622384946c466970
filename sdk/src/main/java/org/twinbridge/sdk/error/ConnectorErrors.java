package org.twinbridge.sdk.error;

/**
 * Connector errors: FHIR polling and bulk export, HL7 v2 over MLLP, MQTT with Open mHealth, FHIR payloads and the
 * file-drop connector.
 * Part of the {@link ErrorCatalogue}; a constant's name is its code without the {@code TB-} prefix.
 */
public enum ConnectorErrors implements ErrorCode {
    HL7_001("TB-HL7-001",
            "An MLLP frame does not start with an MSH, FHS or BHS segment, so it is not an HL7 v2 message "
                    + "(answered AE).",
            "Check the sender sends HL7 v2 messages in MLLP frames."),
    HL7_002("TB-HL7-002",
            "MSH-2 is not a usable set of encoding characters (answered AE).",
            "Send 4 (or, from v2.7, 5) distinct encoding characters in MSH-2, such as ^~\\&."),
    HL7_003("TB-HL7-003",
            "A header field the connector needs is empty (answered AE).",
            "Fill the MSH field the message names at the sender."),
    HL7_004("TB-HL7-004",
            "One frame holds several messages without a BHS batch header (answered AE).",
            "Send one message per frame, or wrap them in BHS ... BTS."),
    HL7_005("TB-HL7-005",
            "The frame is larger than the connector accepts (answered AR).",
            "Split the message, or send the results in several messages."),
    HL7_006("TB-HL7-006",
            "The message has more segments than the connector accepts (answered AR).",
            "Send the results in several messages."),
    HL7_007("TB-HL7-007",
            "The frame holds bytes that are not valid in its character set (answered AE).",
            "Declare the character set actually used in MSH-18, or send valid bytes for the declared one."),
    HL7_010("TB-HL7-010",
            "The message's HL7 version is outside 2.3 to 2.8.x (answered AR).",
            "Send a version from 2.3 to 2.8.x."),
    HL7_011("TB-HL7-011",
            "The message type is not one this connector accepts (answered AR).",
            "Send one of the accepted types the message lists, or configure the connector to accept it."),
    HL7_012("TB-HL7-012",
            "The trigger event is not accepted for that message code (answered AR).",
            "Send one of the accepted trigger events the message lists."),
    HL7_020("TB-HL7-020",
            "The sending application and facility (MSH-3, MSH-4) are not on the connector's allow-list (answered AR).",
            "Add the sender to the connector's allowed senders, or fix MSH-3/MSH-4 at the sender."),
    HL7_030("TB-HL7-030",
            "The message could not be parsed (answered AE with the location, if known).",
            "Fix the message structure at the location given."),
    HL7_031("TB-HL7-031",
            "A segment the mapping needs is missing (answered AE).",
            "Send the segment the message names, which this message type requires."),
    HL7_032("TB-HL7-032",
            "A field the mapping needs is empty (answered AE).",
            "Fill the field the message names at the sender."),
    HL7_033("TB-HL7-033",
            "A typed HL7 v2 field holds a value that does not parse as its type (for example a non-numeric NM or an impossible date); the message was answered AE with ERR-2 naming the field, and nothing was stored.",
            "Correct the field the ERR segment names at the sending system and resend the message."),
    HL7_040("TB-HL7-040",
            "Mapping the message to FHIR failed unexpectedly, so it was not stored (answered AE); the node "
                    + "log has the exception class.",
            "Report it with the logged message type and location; resending it unchanged will fail again."),
    HL7_050("TB-HL7-050",
            "The journal did not commit the message, so nothing was kept (answered AR); resending later is safe.",
            "Check that the node's database is reachable; the sender may resend."),
    MQTT_001("TB-MQTT-001",
            "Something tried to produce to the MQTT connector's endpoint, which only consumes.",
            "This is a route defect; publish to the broker instead."),
    MQTT_010("TB-MQTT-010",
            "The MQTT connector cannot connect to its broker and retries after the logged delay.",
            "Check the broker address, credentials and that the broker is up."),
    MQTT_011("TB-MQTT-011",
            "After a reconnect the connector could not renew its subscriptions; the persistent session still "
                    + "holds them.",
            "Nothing to do unless messages stop arriving; then restart the connector."),
    MQTT_012("TB-MQTT-012",
            "The MQTT connector lost its connection to the broker and is reconnecting.",
            "Nothing to do unless it repeats; then check the broker and the network."),
    MQTT_020("TB-MQTT-020",
            "A message was not journalled, so it is not acknowledged and the broker redelivers it after the reconnect.",
            "Check that the node's database is reachable; nothing is lost."),
    MQTT_030("TB-MQTT-030",
            "An MQTT message is empty or larger than the connector's max-payload, so it went to the "
                    + "connector's dead letters.",
            "Send non-empty readings within max-payload, or raise max-payload if the size is legitimate."),
    MQTT_031("TB-MQTT-031",
            "An MQTT message is in neither accepted format, or is a FHIR resource on a connector whose format "
                    + "is openmhealth.",
            "Send what the connector's 'format' setting says: FHIR resources or Open mHealth data points."),
    MQTT_033("TB-MQTT-033",
            "An Open mHealth reading needs a device id, but the subscribed topic has no '+' level to take it from.",
            "Subscribe with a topic filter like devices/+/vitals."),
    MQTT_040("TB-MQTT-040",
            "The connector's device bindings were not journalled; it retries in a minute.",
            "Check that the node's database is reachable."),
    OMH_001("TB-OMH-001",
            "An Open mHealth data point is not a JSON object, or its body holds no supported measure or several.",
            "Send one data point per message, with exactly one supported measure in its body."),
    OMH_002("TB-OMH-002",
            "An Open mHealth data point lacks its 'header' or 'body', or its schema is not a supported one.",
            "Send a header with a supported schema_id.name and a body."),
    OMH_003("TB-OMH-003",
            "A measure in an Open mHealth body is missing or has a non-numeric value or an unsupported unit.",
            "Send the measure the schema names, with a numeric value and one of the listed units."),
    OMH_004("TB-OMH-004",
            "An Open mHealth reading's effective_time_frame is missing or malformed.",
            "Give effective_time_frame with an ISO 8601 date_time with offset, or a time_interval with start "
                    + "and end (or one and a duration)."),
    OMH_005("TB-OMH-005",
            "An Open mHealth property has a value outside the allowed set.",
            "Use one of the values the message lists."),
    PAYLOAD_001("TB-PAYLOAD-001",
            "A payload is empty or not valid JSON.",
            "Send a FHIR R4 resource in JSON."),
    PAYLOAD_002("TB-PAYLOAD-002",
            "A JSON payload is not a FHIR resource, or its resourceType is not a FHIR R4 type.",
            "Send a FHIR R4 resource with a valid resourceType."),
    PAYLOAD_003("TB-PAYLOAD-003",
            "A payload is not a valid FHIR R4 resource of its type.",
            "Fix the resource at the source; the message names the type and, where safe, the problem."),
    PAYLOAD_004("TB-PAYLOAD-004",
            "An NDJSON payload holds no resources.",
            "Send at least one resource, one per line."),
    PAYLOAD_005("TB-PAYLOAD-005",
            "A JSON payload is nested deeper than the reader allows, or breaks another reading limit, so it "
                    + "is not read.",
            "Send ordinary FHIR JSON; deeply nested input is refused to protect the node."),
    FILE_001("TB-FILE-001",
            "A dropped file is larger than the connector's max-size, so it is moved to failed/.",
            "Split the file, or raise max-size if the size is legitimate."),
    FILE_002("TB-FILE-002",
            "A dropped file is empty, so it is moved to failed/.",
            "Drop complete files; write them elsewhere and move them in when done."),
    FILE_003("TB-FILE-003",
            "A dropped file holds no resources (an empty Bundle?), so it is moved to failed/.",
            "Drop files that hold at least one FHIR resource."),
    FILE_004("TB-FILE-004",
            "A dropped file could not be read or taken for a reason other than its content (the exception class is given); it was moved to failed/ with a dead letter.",
            "Check the file's permissions and the disk, then drop the file again; deadletter list shows the entry."),
    FILE_005("TB-FILE-005",
            "A dropped file is not valid UTF-8 (the byte offset of the first bad byte is given); it was moved to failed/ with a dead letter.",
            "Save the file as UTF-8 at its source and drop it again."),
    FILE_020("TB-FILE-020",
            "A dropped file was not journalled; it stays in place and is tried again at the next scan.",
            "Check that the node's database is reachable; nothing is lost."),
    FILE_021("TB-FILE-021",
            "A reason file for a rejected drop could not be written; the file stays in place.",
            "Check the drop folder's permissions and free disk space."),
    FILE_022("TB-FILE-022",
            "A rejected file's dead letter was not recorded; the file stays in place and is tried again.",
            "Check that the node's database is reachable."),
    FILE_030("TB-FILE-030",
            "A dropped file was rejected (the logged code says why) and moved to failed/.",
            "Look at the reason file next to it in failed/, fix the file and drop it again."),
    CONN_FHIR_001("TB-CONN-FHIR-001",
            "A FHIR connector's poll failed (the kind of failure is given: HTTP status, timeout, connection "
                    + "refused and so on); the watermark was not advanced and the next poll retries.",
            "Check that the FHIR server is reachable and the connector's credentials are valid; nothing is lost."),
    CONN_FHIR_002("TB-CONN-FHIR-002",
            "A FHIR search page could not be used and was dead-lettered; that type's watermark stays and the "
                    + "next poll reads the search again.",
            "Look at the connector's dead letters for the reason, and fix the server's answer."),
    CONN_FHIR_003("TB-CONN-FHIR-003",
            "Some entries of a FHIR search page were not valid and were dead-lettered; the rest of the page "
                    + "was journalled.",
            "Look at the connector's dead letters for the reasons, and fix the resources at the server."),
    CONN_FHIR_020("TB-CONN-FHIR-020",
            "A FHIR search answer is JSON but not a FHIR Bundle, so the page was dead-lettered.",
            "Check that the connector's base URL points at a FHIR R4 server's API root."),
    CONN_FHIR_021("TB-CONN-FHIR-021",
            "A FHIR search page holds an entry of a type other than the one searched, so the entry was dead-lettered.",
            "Check the FHIR server's search behaviour; a search for one type must return that type."),
    CONN_FHIR_030("TB-CONN-FHIR-030",
            "The FHIR bulk export cannot be used (the reason is given), so the connector loads by incremental "
                    + "search from the beginning.",
            "Nothing to do unless you need bulk export; then fix what the reason names at the server."),
    CONN_FHIR_031("TB-CONN-FHIR-031",
            "The FHIR server failed a bulk export job; a new one starts at the next poll.",
            "Check the FHIR server's log for the failed export."),
    CONN_FHIR_032("TB-CONN-FHIR-032",
            "A FHIR bulk export reported error files; resources it could not export arrive by incremental "
                    + "polling only if they change.",
            "Check the export's OperationOutcomes on the FHIR server.");

    private final String code;
    private final String meaning;
    private final String fix;

    ConnectorErrors(String code, String meaning, String fix) {
        this.code = code;
        this.meaning = meaning;
        this.fix = fix;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String meaning() {
        return meaning;
    }

    @Override
    public String fix() {
        return fix;
    }
}
