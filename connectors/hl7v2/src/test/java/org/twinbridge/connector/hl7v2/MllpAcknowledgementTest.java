package org.twinbridge.connector.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twinbridge.connector.hl7v2.TestMessages.message;
import static org.twinbridge.connector.hl7v2.TestMessages.resource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * The acknowledgement contract, over a real socket with MLLP framing against the running Camel route: AA only
 * after the journal commit, AE for content errors, AR for what the connector does not accept or could not store,
 * each with an ERR segment; resends stored once; a bad frame never costs earlier data or the connection's peers.
 */
class MllpAcknowledgementTest {

    private Hl7Harness lab;

    @BeforeEach
    void start() throws Exception {
        lab = Hl7Harness.start();
    }

    @AfterEach
    void stop() {
        lab.close();
    }

    @Test
    void oru_isAcknowledgedAA_onlyWhenItsRecordsAreAlreadyJournalled() throws Exception {
        try (MllpClient client = lab.client()) {
            AckView ack = AckView.of(client.send(resource("msft_ORU-R01-RMGEAD.hl7")));
            // Read at the moment the ACK arrived: the commit happened before it was sent.
            List<CanonicalRecord> journalled = lab.journal().records();

            assertThat(ack.code()).isEqualTo("AA");
            assertThat(ack.acknowledgedId()).isEqualTo("CNTRL-3456");
            assertThat(ack.err()).isEmpty();
            assertThat(journalled).extracting(r -> r.resource().fhirType())
                    .containsExactly("Patient", "Observation", "DiagnosticReport");
        }
    }

    /** A value that does not parse as its field's type is AE naming the field, never AA with a guess. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = ';', value = {
        "non-numeric NM result;     ||250|mg/dL;                 ||high|mg/dL;                OBX^1^5",
        "impossible birth date;     ||19700101|F;                ||19701301|F;                PID^1^7",
        "birth date that is text;   ||19700101|F;                ||unknown|F;                 PID^1^7",
        "impossible OBX-14 time;    20240305071500+0100;         20240305251500+0100;         OBX^1^14",
        "unparseable OBR-7 time;    |20240305070000+0100|;       |2024-03-05|;                OBR^1^7",
    })
    void valueThatDoesNotParseAsItsType_isAE_withAnErrNamingTheField_andStoresNothing(String what, String good,
            String bad, String location) throws Exception {
        String oru = TestMessages.canaryOru("BADVAL-1", "2.5.1");
        assertThat(oru).as(what).contains(good.strip());
        try (MllpClient client = lab.client()) {
            AckView ack = AckView.of(client.send(oru.replace(good.strip(), bad.strip())));

            assertThat(ack.code()).as(what).isEqualTo("AE");
            // v2.5+: ERR-2 the location, ERR-3 table 0357 code 102, ERR-5 the TwinBridge code.
            assertThat(ack.err()).as(what).startsWith("ERR||" + location + "|102^Data type error^HL70357|E|"
                    + "TB-HL7-033^^L|");
            assertThat(ack.err()).as(what).doesNotContain("high", "1301", "unknown", "2024-03-05");
            assertThat(lab.journal().records()).as(what).isEmpty();
        }
    }

    @Test
    void secondObxWithANonNumericValue_isNamedBySequence_inTheOlderEld() throws Exception {
        String oru = TestMessages.canaryOru("BADVAL-2", "2.4").replace("OBX|2|TX|", "OBX|2|NM|");
        try (MllpClient client = lab.client()) {
            AckView ack = AckView.of(client.send(oru));

            assertThat(ack.code()).isEqualTo("AE");
            assertThat(ack.err()).isEqualTo("ERR|OBX^2^5^102&Data type error&HL70357");
            assertThat(ack.field("MSA", 3)).startsWith("TB-HL7-033 OBX-5").doesNotContain("Canary");
        }
    }

    @Test
    void ackHeader_answersTheSender_inItsVersionAndDelimiters() throws Exception {
        try (MllpClient client = lab.client()) {
            AckView ack = AckView.of(client.send(resource("msft_ORU-R01-RMGEAD.hl7")));

            assertThat(ack.field("MSH", 2)).isEqualTo("^~\\&");
            assertThat(ack.field("MSH", 3)).isEqualTo("GHH OE");
            assertThat(ack.field("MSH", 4)).isEqualTo("BLDG4");
            assertThat(ack.field("MSH", 5)).isEqualTo("GHH LAB");
            assertThat(ack.field("MSH", 6)).isEqualTo("ELAB-3");
            assertThat(ack.field("MSH", 9)).isEqualTo("ACK^R01^ACK");
            assertThat(ack.field("MSH", 10)).startsWith("TB").hasSizeLessThanOrEqualTo(20);
            assertThat(ack.field("MSH", 11)).isEqualTo("P");
            assertThat(ack.field("MSH", 12)).isEqualTo("2.4");
        }
    }

    @Test
    void resentMessage_isAcknowledgedAA_andStoresNothingNew() throws Exception {
        try (MllpClient client = lab.client()) {
            String oru = resource("msft_LAB-ORU-1.hl7");
            assertThat(AckView.of(client.send(oru)).code()).isEqualTo("AA");
            int stored = lab.journal().records().size();

            assertThat(AckView.of(client.send(oru)).code()).isEqualTo("AA");
            assertThat(lab.journal().records()).hasSize(stored);
            assertThat(lab.journal().commits()).isEqualTo(2);
        }
    }

    @Test
    void sameControlId_withChangedContent_isStoredAsNewRecords() throws Exception {
        try (MllpClient client = lab.client()) {
            String original = resource("msft_ORU-R01-RMGEAD.hl7");
            client.send(original);
            int stored = lab.journal().records().size();

            String corrected = original.replace("||^182|mg/dl|", "||^181|mg/dl|").replace("|H|||F", "|H|||C");
            assertThat(AckView.of(client.send(corrected)).code()).isEqualTo("AA");

            assertThat(lab.journal().records().subList(stored, lab.journal().records().size()))
                    .extracting(r -> r.resource().fhirType()).containsExactly("Observation");
        }
    }

    @Test
    void journalFailure_isAR_withErr207_storesNothing_andTheResendIsAccepted() throws Exception {
        lab.journal().fail("database unavailable");
        try (MllpClient client = lab.client()) {
            String oru = resource("msft_ORU-R01-RMGEAD.hl7");
            AckView rejected = AckView.of(client.send(oru));

            assertThat(rejected.code()).isEqualTo("AR");
            assertThat(rejected.acknowledgedId()).isEqualTo("CNTRL-3456");
            // v2.4: ERR-1 (ELD) carries the HL7 code, MSA-3 the TwinBridge code.
            assertThat(rejected.err()).isEqualTo("ERR|^^^207&Application internal error&HL70357");
            assertThat(rejected.field("MSA", 3)).startsWith("TB-HL7-050");
            assertThat(lab.journal().records()).isEmpty();

            lab.journal().recover();
            assertThat(AckView.of(client.send(oru)).code()).isEqualTo("AA");
            assertThat(lab.journal().records()).hasSize(3);
        }
    }

    @Test
    void unsupportedMessageType_isAR_withErr200() throws Exception {
        try (MllpClient client = lab.client()) {
            AckView ack = AckView.of(client.send(resource("msft_PC1-Problem-Add-v2.3.1.hl7")));

            assertThat(ack.code()).isEqualTo("AR");
            assertThat(ack.acknowledgedId()).isEqualTo("331");
            // v2.3.1: ERR-1 (ELD) with the code, and the TwinBridge code in MSA-3.
            assertThat(ack.err()).startsWith("ERR|MSH^1^9^200&Unsupported message type&HL70357");
            assertThat(ack.field("MSA", 3)).startsWith("TB-HL7-011 message type PPR PC1 is not accepted");
            assertThat(lab.journal().records()).isEmpty();
        }
    }

    @Test
    void unsupportedTriggerEvent_isAR_withErr201() throws Exception {
        String personUpdate = TestMessages.admit("EVT-1", "MRN-1", "Transfer").replace("ADT^A01^ADT_A01", "ADT^A31^ADT_A05");
        try (MllpClient client = lab.client()) {
            AckView ack = AckView.of(client.send(personUpdate));

            assertThat(ack.code()).isEqualTo("AR");
            assertThat(ack.err()).contains("|201^Unsupported event code^HL70357|E|TB-HL7-012^^L|");
        }
    }

    @Test
    void version22_isRejectedAR_withErr203() throws Exception {
        String v22 = message("MSH|^~\\&|LAB|FAC|TB|NODE|199405031738||ORU^R01|V22-1|P|2.2",
                "PID|||N00829||RADIOLOGY^INPAT||19560202|F",
                "OBR|1||1|38067^CT BIOPSY^L",
                "OBX|1|ST|38067^CT BIOPSY^L||done");
        try (MllpClient client = lab.client()) {
            AckView ack = AckView.of(client.send(v22));

            assertThat(ack.code()).isEqualTo("AR");
            assertThat(ack.err()).contains("203&Unsupported version id&HL70357");
            assertThat(ack.field("MSA", 3)).contains("TB-HL7-010").contains("2.2");
            assertThat(lab.journal().records()).isEmpty();
        }
    }

    @Test
    void senderNotOnTheAllowList_isAR_andAnAllowedSenderIsAccepted() throws Exception {
        lab.close();
        lab = Hl7Harness.start(Map.of("senders", List.of("ADTAPP^HOSPFAC")));
        try (MllpClient client = lab.client()) {
            AckView refused = AckView.of(client.send(resource("msft_ORU-R01-RMGEAD.hl7")));
            AckView allowed = AckView.of(client.send(TestMessages.admit("ALLOW-1", "MRN-2", "Allowed")));

            assertThat(refused.code()).isEqualTo("AR");
            assertThat(refused.err()).isEqualTo("ERR|MSH^1^3^207&Application internal error&HL70357");
            assertThat(refused.field("MSA", 3)).startsWith("TB-HL7-020");
            assertThat(allowed.code()).isEqualTo("AA");
        }
    }

    @Test
    void messageTypesSetting_narrowsWhatIsAccepted() throws Exception {
        lab.close();
        lab = Hl7Harness.start(Map.of("message-types", List.of("ORU^R01")));
        try (MllpClient client = lab.client()) {
            AckView ack = AckView.of(client.send(TestMessages.admit("NARROW-1", "MRN-3", "Narrow")));

            assertThat(ack.code()).isEqualTo("AR");
            assertThat(ack.err()).contains("200^Unsupported message type").contains("accepted: ORU R01");
        }
    }

    @Test
    void garbageFrame_isAE_andTheSameConnectionCarriesOn() throws Exception {
        try (MllpClient client = lab.client()) {
            AckView garbage = AckView.of(client.send("this is not an HL7 message at all"));
            AckView next = AckView.of(client.send(resource("msft_ORU-R01-RMGEAD.hl7")));

            assertThat(garbage.code()).isEqualTo("AE");
            assertThat(garbage.acknowledgedId()).isEmpty();
            assertThat(garbage.err()).contains("100^Segment sequence error").contains("TB-HL7-001");
            assertThat(next.code()).isEqualTo("AA");
        }
    }

    @Test
    void unusableEncodingCharacters_areAE_withErr102() throws Exception {
        String threeCharacters = resource("msft_ORU-R01-RMGEAD.hl7").replace("MSH|^~\\&|", "MSH|^~}|");
        try (MllpClient client = lab.client()) {
            AckView ack = AckView.of(client.send(threeCharacters));

            assertThat(ack.code()).isEqualTo("AE");
            assertThat(ack.acknowledgedId()).isEqualTo("CNTRL-3456");
            assertThat(ack.err()).isEqualTo("ERR|MSH^1^2^102&Data type error&HL70357");
            assertThat(ack.field("MSA", 3)).startsWith("TB-HL7-002");
        }
    }

    @Test
    void admitWithoutPid_isAE_withErr100() throws Exception {
        String noPid = message("MSH|^~\\&|ADTAPP|HOSPFAC|TB|NODE|20240305||ADT^A01^ADT_A01|NOPID-1|P|2.5.1",
                "EVN|A01|20240305", "PV1|1|I");
        try (MllpClient client = lab.client()) {
            AckView ack = AckView.of(client.send(noPid));

            assertThat(ack.code()).isEqualTo("AE");
            assertThat(ack.err()).contains("|PID^1|100^Segment sequence error^HL70357|E|TB-HL7-031^^L|");
        }
    }

    @Test
    void mergeWithoutPriorIdentifier_isAE_withErr101() throws Exception {
        String noPrior = message("MSH|^~\\&|ADTAPP|HOSPFAC|TB|NODE|20240305||ADT^A40^ADT_A39|MRG-1|P|2.5.1",
                "EVN|A40|20240305", "PID|1||NEW-1^^^HOSP^MR||Merged^Pat", "MRG|^^^HOSP^MR");
        try (MllpClient client = lab.client()) {
            AckView ack = AckView.of(client.send(noPrior));

            assertThat(ack.code()).isEqualTo("AE");
            assertThat(ack.err()).contains("MRG^1^1").contains("101^Required field missing").contains("TB-HL7-032");
            assertThat(lab.journal().records()).isEmpty();
        }
    }

    @Test
    void severalMessagesInOneFrameWithoutBatchHeader_areAE_andNoneIsStored() throws Exception {
        String two = resource("msft_ORU-R01-RMGEAD.hl7") + TestMessages.admit("TWO-2", "MRN-4", "Two");
        try (MllpClient client = lab.client()) {
            AckView ack = AckView.of(client.send(two));

            assertThat(ack.code()).isEqualTo("AE");
            assertThat(ack.err()).isEqualTo("ERR|^^^100&Segment sequence error&HL70357");
            assertThat(ack.field("MSA", 3)).startsWith("TB-HL7-004 the frame holds 2 messages");
            assertThat(lab.journal().records()).isEmpty();
        }
    }

    @Test
    void batch_journalsAndAcknowledgesEachMessage_inOneBatchReply() throws Exception {
        String batch = message("FHS|^~\\&|LABAPP|LABFAC|TB|NODE|20240305||||FILE-7",
                "BHS|^~\\&|LABAPP|LABFAC|TB|NODE|20240305||||BATCH-7")
                + resource("msft_ORU-R01-RMGEAD.hl7")
                + resource("msft_PC1-Problem-Add-v2.3.1.hl7")
                + TestMessages.admit("BATCH-ADT-3", "MRN-5", "Batched")
                + message("BTS|3", "FTS|1");
        try (MllpClient client = lab.client()) {
            AckView reply = AckView.of(client.send(batch));

            assertThat(reply.segments().get(0)).startsWith("FHS|^~\\&|TB|NODE|LABAPP|LABFAC|");
            assertThat(reply.field("FHS", 12)).isEqualTo("FILE-7");
            assertThat(reply.field("BHS", 12)).isEqualTo("BATCH-7");
            assertThat(reply.codes()).containsExactly("AA", "AR", "AA");
            assertThat(reply.all("MSA")).extracting(msa -> msa.split("\\|")[2])
                    .containsExactly("CNTRL-3456", "331", "BATCH-ADT-3");
            assertThat(reply.all("BTS")).containsExactly("BTS|3");
            assertThat(reply.all("FTS")).containsExactly("FTS|1");
            assertThat(lab.journal().commits()).isEqualTo(2);
        }
    }

    @Test
    void batchWithoutFileHeader_isAnsweredWithABatchOnly() throws Exception {
        String batch = message("BHS|^~\\&|LABAPP|LABFAC|TB|NODE|20240305||||B-8")
                + resource("msft_ORU-R01-RMGEAD.hl7") + message("BTS|1");
        try (MllpClient client = lab.client()) {
            AckView reply = AckView.of(client.send(batch));

            assertThat(reply.segments().get(0)).startsWith("BHS|");
            assertThat(reply.all("FHS")).isEmpty();
            assertThat(reply.all("FTS")).isEmpty();
            assertThat(reply.codes()).containsExactly("AA");
        }
    }

    @Test
    void hundredsOfRepeatingObx_allBecomeResultsOfOneReport() throws Exception {
        try (MllpClient client = lab.client()) {
            AckView ack = AckView.of(client.send(TestMessages.manyObservations("MANY-1", 400)));

            assertThat(ack.code()).isEqualTo("AA");
            List<CanonicalRecord> records = lab.journal().records();
            assertThat(records).filteredOn(r -> r.resource().fhirType().equals("Observation")).hasSize(400);
            DiagnosticReport report = (DiagnosticReport) records.get(records.size() - 1).resource();
            assertThat(report.getResult()).hasSize(400);
            assertThat(records).extracting(CanonicalRecord::sourceId).doesNotHaveDuplicates();
        }
    }

    @Test
    void truncatedFrame_losesNoEarlierMessage_andOtherConnectionsCarryOn() throws Exception {
        try (MllpClient first = lab.client()) {
            assertThat(AckView.of(first.send(resource("msft_ORU-R01-RMGEAD.hl7"))).code()).isEqualTo("AA");
            ByteArrayOutputStream partial = new ByteArrayOutputStream();
            partial.write(MllpClient.START);
            partial.write(resource("msft_LAB-ORU-1.hl7").substring(0, 200).getBytes(StandardCharsets.UTF_8));
            first.sendRaw(partial.toByteArray());
        }
        try (MllpClient second = lab.client()) {
            assertThat(AckView.of(second.send(TestMessages.admit("AFTER-1", "MRN-6", "After"))).code())
                    .isEqualTo("AA");
        }
        assertThat(lab.journal().records()).extracting(r -> r.resource().fhirType())
                .containsExactly("Patient", "Observation", "DiagnosticReport", "Patient", "Encounter");
    }

    @Test
    void bytesOutsideAnyFrame_areDiscarded_andTheNextFrameIsAcknowledged() throws Exception {
        try (MllpClient client = lab.client()) {
            client.sendRaw("no start byte here\r".getBytes(StandardCharsets.UTF_8));
            AckView ack = AckView.of(client.send(resource("msft_ORU-R01-RMGEAD.hl7")));

            assertThat(ack.code()).isEqualTo("AA");
            assertThat(lab.journal().commits()).isEqualTo(1);
        }
    }

    @Test
    void frameTooShortToBeHl7_resetsTheConnection_andTheListenerCarriesOn() throws Exception {
        try (MllpClient client = lab.client()) {
            client.sendFrame("MS".getBytes(StandardCharsets.UTF_8));
            // camel-mllp cannot write an ACK for a frame shorter than 4 bytes; it resets the connection.
            assertThat(client.closedByServer()).isTrue();
        }
        try (MllpClient client = lab.client()) {
            assertThat(AckView.of(client.send(resource("msft_ORU-R01-RMGEAD.hl7"))).code()).isEqualTo("AA");
        }
    }

    @Test
    void characterSet_followsMsh18_elseTheConfiguredDefault() throws Exception {
        String utf8 = TestMessages.admit("UTF-1", "MRN-7", "Müller-Łukasz");
        String latin1 = TestMessages.admit("LATIN-1", "MRN-8", "Müller").replace("|P|2.5.1", "|P|2.5.1||||||8859/1");
        try (MllpClient client = lab.client()) {
            assertThat(AckView.of(client.send(utf8, StandardCharsets.UTF_8)).code()).isEqualTo("AA");
            assertThat(AckView.of(client.send(latin1, StandardCharsets.ISO_8859_1)).code()).isEqualTo("AA");
        }
        assertThat(lab.journal().records()).filteredOn(r -> r.resource() instanceof Patient)
                .extracting(r -> ((Patient) r.resource()).getNameFirstRep().getFamily())
                .containsExactly("Müller-Łukasz", "Müller");
    }
}
