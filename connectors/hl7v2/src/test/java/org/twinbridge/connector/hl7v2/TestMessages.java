package org.twinbridge.connector.hl7v2;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test messages: the copied files in {@code src/test/resources/hl7v2/} (see its README), and messages written
 * here for cases the copies do not cover. The written ones carry canary values, strings that must never show up
 * in a log line, an ERR segment or an exception message.
 */
public final class TestMessages {

    public static final String CANARY_FAMILY = "Zzcanaryfamily";
    public static final String CANARY_GIVEN = "Qqcanarygiven";
    public static final String CANARY_MRN = "MRN-CANARY-4711";
    public static final String CANARY_STREET = "17 Canarystreet";
    public static final String CANARY_VALUE = "Canaryvalue result text";
    public static final String CANARY_NOTE = "Canarynote comment";
    public static final List<String> CANARIES = List.of(CANARY_FAMILY, CANARY_GIVEN, CANARY_MRN, CANARY_STREET,
            CANARY_VALUE, CANARY_NOTE);

    private TestMessages() {
    }

    /** A copied test file, as its bytes decode in UTF-8. */
    public static String resource(String name) {
        try (InputStream in = TestMessages.class.getResourceAsStream("/hl7v2/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test message " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Segments joined with CR, the HL7 segment terminator, with a final CR. */
    public static String message(String... segments) {
        return String.join("\r", segments) + "\r";
    }

    /**
     * An ORU^R01 with canaries in PID, OBX and NTE, a LOINC-coded numeric with UCUM units, reference range and
     * abnormal flag, a text OBX, a Z-segment and an OBX-17 method (which the mapping leaves unmapped).
     */
    public static String canaryOru(String controlId, String version) {
        return message(
                "MSH|^~\\&|LABAPP|LABFAC|TWINBRIDGE|NODE|20240305081500+0100||ORU^R01^ORU_R01|" + controlId + "|P|"
                        + version,
                "PID|1||" + CANARY_MRN + "^^^HOSP^MR||" + CANARY_FAMILY + "^" + CANARY_GIVEN + "||19700101|F|||"
                        + CANARY_STREET + "^^Springfield^^12345",
                "ZPI|1|canary z-segment content " + CANARY_FAMILY,
                "OBR|1|PL-1|FI-1^LAB|24331-1^Lipid panel^LN|||20240305070000+0100|||||||||||||||20240305080000+0100"
                        + "||CH|F",
                "OBX|1|NM|2093-3^Cholesterol [Mass/volume] in Serum or Plasma^LN||250|mg/dL^^UCUM|<200|H|||F|||"
                        + "20240305071500+0100|||Method-" + CANARY_FAMILY,
                "NTE|1|L|" + CANARY_NOTE,
                "OBX|2|TX|8251-1^Service comment^LN||" + CANARY_VALUE + "||||||F");
    }

    /** An ADT^A01 for a patient identified by MRN under assigning authority HOSP. */
    public static String admit(String controlId, String mrn, String family) {
        return message(
                "MSH|^~\\&|ADTAPP|HOSPFAC|TWINBRIDGE|NODE|20240305081500+0100||ADT^A01^ADT_A01|" + controlId
                        + "|P|2.5.1",
                "EVN|A01|20240305081500+0100",
                "PID|1||" + mrn + "^^^HOSP^MR||" + family + "^Ann||19800202|F",
                "PV1|1|I|WARD^1^1||||||||||||||||V-" + controlId + "^^^HOSP^VN|||||||||||||||||||||||||"
                        + "20240305080000+0100");
    }

    /** An ORU^R01 with {@code count} numeric OBX segments. */
    public static String manyObservations(String controlId, int count) {
        List<String> segments = new ArrayList<>();
        segments.add("MSH|^~\\&|LABAPP|LABFAC|TWINBRIDGE|NODE|20240305081500+0100||ORU^R01|" + controlId + "|P|2.5");
        segments.add("PID|1||MANY-1^^^HOSP^MR||Many^Obs||19600101|M");
        segments.add("OBR|1||FI-MANY|2345-7^Glucose^LN|||20240305070000+0100|||||||||||||||||F");
        for (int i = 1; i <= count; i++) {
            segments.add("OBX|" + i + "|NM|2345-7^Glucose^LN|" + i + "|" + (80 + i % 40) + "|mg/dL^^UCUM|70-110|N|||F");
        }
        return message(segments.toArray(String[]::new));
    }
}
