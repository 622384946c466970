package org.twinbridge.connector.hl7v2.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The acknowledgement text: header echo, MSA, and an ERR segment laid out for the message's version. */
class AckWriterTest {

    private final AckWriter acks = new AckWriter(Clock.fixed(Instant.parse("2024-03-05T10:15:30Z"), ZoneOffset.UTC));

    private static Optional<MshHeader> header(String version) {
        return MshHeader.read("MSH|^~\\&|LAB|LABFAC|TB|NODE|20240305||ORU^R01^ORU_R01|CTRL-1|T|" + version);
    }

    @Test
    void accepted_isMsaAA_withTheControlId_andNoErr() {
        String ack = acks.ack(header("2.5.1"), Optional.empty());

        assertThat(ack.split("\r")).containsExactly(
                ack.split("\r")[0], "MSA|AA|CTRL-1");
        assertThat(ack).startsWith("MSH|^~\\&|TB|NODE|LAB|LABFAC|20240305101530+0000||ACK^R01^ACK|TB");
        assertThat(ack.split("\r")[0]).endsWith("|T|2.5.1");
    }

    @ParameterizedTest(name = "v{0}: {1}")
    @CsvSource({"2.3, ELD and MSA-3", "2.4, ELD and MSA-3", "2.5.1, ERR-2 to ERR-8 and MSA-3", "2.8, ERR-2 to ERR-8"})
    void rejection_carriesItsErrInTheLayoutOfTheVersion(String version, String layout) {
        String text = "TB-HL7-011 message type X Y is not accepted by this connector; accepted: ORU R01";
        String ack = acks.ack(header(version), Optional.of(Rejection.unsupportedType("X Y", "ORU R01")));
        List<String> lines = List.of(ack.split("\r"));

        assertThat(lines.get(1)).isEqualTo(layout.contains("MSA-3") ? "MSA|AR|CTRL-1|" + text : "MSA|AR|CTRL-1");
        assertThat(lines.get(2)).isEqualTo(layout.startsWith("ELD")
                ? "ERR|MSH^1^9^200&Unsupported message type&HL70357"
                : "ERR||MSH^1^9|200^Unsupported message type^HL70357|E|TB-HL7-011^^L|||" + text);
    }

    @Test
    void msa3_isCutTo80Characters() {
        String ack = acks.ack(header("2.4"), Optional.of(Rejection.unsupportedType("X Y",
                "ORU R01, ADT A01, ADT A03, ADT A04, ADT A08, ADT A40")));

        assertThat(ack.split("\r")[1].split("\\|")[3]).hasSize(80);
    }

    @Test
    void textWithDelimiters_isEscaped_inTheSendersOwnDelimiters() {
        Optional<MshHeader> custom = MshHeader.read("MSH#$%@*#LAB#FAC#TB#NODE#20240305##ORU$R01#C-2#P#2.5.1");
        String ack = acks.ack(custom, Optional.of(new Rejection(AckCode.AE, 102, "PID^1^7", "TB-TEST",
                "a # b $ c % d @ e * f")));

        assertThat(ack).startsWith("MSH#$%@*#TB#NODE#LAB#FAC#");
        assertThat(ack).contains("MSA#AE#C-2#TB-TEST a @F@ b");
        assertThat(ack).contains("ERR##PID$1$7#102$Data type error$HL70357#E#TB-TEST$$L###TB-TEST a @F@ b @S@ c @R@ d @E@"
                + " e @T@ f");
    }

    @Test
    void noReadableHeader_isAnsweredWithStandardDelimitersAndAnEmptyMsa2() {
        String ack = acks.ack(Optional.empty(), Optional.of(Rejection.notHl7()));

        assertThat(ack).startsWith("MSH|^~\\&|||||20240305101530+0000||ACK|TB");
        assertThat(ack).contains("\rMSA|AE||TB-HL7-001 ");
        assertThat(ack).contains("ERR|||100^Segment sequence error^HL70357|E|TB-HL7-001^^L|");
    }

    @Test
    void unusableDelimiters_doNotLeakRawHeaderFields_intoTheAck() {
        Optional<MshHeader> broken = MshHeader.read("MSH|^~}|LAB|FAC|TB|NODE|20240305||ORU^R01|C-3|P|2.4");
        String ack = acks.ack(broken, Optional.of(Rejection.badDelimiters()));

        assertThat(ack).startsWith("MSH|^~\\&|||||");
        assertThat(ack).contains("MSA|AE|C-3|TB-HL7-002");
    }

    @Test
    void universalIds_ofTheSender_areAnsweredInFull() {
        Optional<MshHeader> header = MshHeader.read(
                "MSH|^~\\&|LAB^1.2.3^ISO|LABFAC|TB^9.9^ISO|NODE|20240305||ORU^R01|C-4|P|2.5.1");

        assertThat(acks.ack(header, Optional.empty())).startsWith("MSH|^~\\&|TB^9.9^ISO|NODE|LAB^1.2.3^ISO|LABFAC|");
    }

    @ParameterizedTest(name = "v{0}: MSH-9 {1}")
    @CsvSource({"2.3, ACK^R01", "2.3.1, ACK^R01^ACK", "2.8, ACK^R01^ACK"})
    void messageStructure_isNamedFromV231(String version, String type) {
        String ack = acks.ack(header(version), Optional.empty());

        assertThat(ack.split("\r")[0].split("\\|")[8]).isEqualTo(type);
    }

    @Test
    void truncationCharacter_ofV27_isKeptInTheAnswer() {
        Optional<MshHeader> header = MshHeader.read("MSH|^~\\&#|LAB|FAC|TB|NODE|20240305||ADT^A01|C-5|P|2.7");

        assertThat(acks.ack(header, Optional.empty())).startsWith("MSH|^~\\&#|TB|NODE|LAB|FAC|")
                .contains("\rMSA|AA|C-5\r");
    }

    @Test
    void ackControlIds_areUnique() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(acks.ack(header("2.5.1"), Optional.empty()).split("\r")[0].split("\\|")[9]);
        }
        assertThat(ids).hasSize(1000).allMatch(id -> id.length() <= 20);
    }

    @Test
    void batchAck_swapsSenderAndReceiver_andReferencesTheIncomingControlIds() {
        Optional<MshHeader> file = MshHeader.read("FHS|^~\\&|LAB|FAC|TB|NODE|20240305||||F-1");
        Optional<MshHeader> batch = MshHeader.read("BHS|^~\\&|LAB|FAC|TB|NODE|20240305||||B-1");
        String reply = acks.batchAck(file, batch, List.of("MSH|x\rMSA|AA|1\r", "MSH|y\rMSA|AE|2\r"));

        String[] lines = reply.split("\r");
        assertThat(lines[0]).startsWith("FHS|^~\\&|TB|NODE|LAB|FAC|20240305101530+0000||||TB").endsWith("|F-1");
        assertThat(lines[1]).startsWith("BHS|^~\\&|TB|NODE|LAB|FAC|").endsWith("|B-1");
        assertThat(List.of(lines).subList(2, 6)).containsExactly("MSH|x", "MSA|AA|1", "MSH|y", "MSA|AE|2");
        assertThat(List.of(lines).subList(6, 8)).containsExactly("BTS|2", "FTS|1");
    }
}
