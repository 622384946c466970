package org.twinbridge.consent.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twinbridge.consent.evaluation.Requests.summary;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.twinbridge.consent.model.ConsentDefaults;
import org.twinbridge.consent.model.RegisteredConsent;

/**
 * Every Consent example of the FHIR R4 specification, and what TwinBridge concludes from it. The same table,
 * with the reasoning and where an example's narrative and its computable content disagree, is in
 * {@code consent/README.md}; keep the two in step.
 */
class FhirConsentExamplesTest {

    static final String DIR = "fhir-r4-consent-examples/";
    private static final String NOW = "2026-03-01T12:00:00Z";
    private final ConsentEvaluator evaluator = new ConsentEvaluator(Requests.FHIR, ConsentDefaults.denyAll());

    static RegisteredConsent example(String name) {
        try (InputStream in = FhirConsentExamplesTest.class.getClassLoader()
                .getResourceAsStream(DIR + "Consent-consent-example-" + name + ".json")) {
            Consent consent = Requests.FHIR.newJsonParser().parseResource(Consent.class,
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return new RegisteredConsent("ehr", "Consent/" + consent.getIdElement().getIdPart(), 1, consent);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0}: {1} as {2} for {3}, custodian {4}, at {5} -> {6}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // example   | record             | recipient is known as  | purpose | custodian          | at                   | expected
        "basic       | Observation        | Device/news2-twin      | TREAT   | -                  | " + NOW + "          | ABSTAIN",
        "basic       | Observation        | Device/news2-twin      | TREAT   | -                  | 2015-06-01T00:00:00Z | PERMIT provision",
        "basic       | Patient            | Device/research-cohort | HRESCH  | -                  | 2015-06-01T00:00:00Z | PERMIT provision",
        "notTime     | Observation        | Device/news2-twin      | TREAT   | -                  | 2015-01-15T00:00:00Z | PERMIT provision",
        "notTime     | Observation        | Device/news2-twin      | TREAT   | -                  | " + NOW + "          | ABSTAIN",
        "Out         | Observation        | Device/news2-twin      | TREAT   | Organization/f001  | " + NOW + "          | DENY provision",
        "Out         | Observation        | Device/news2-twin      | TREAT   | Organization/other | " + NOW + "          | ABSTAIN",
        "Out         | Observation        | Device/news2-twin      | TREAT   | -                  | " + NOW + "          | DENY provision",
        "Emergency   | Observation        | Device/news2-twin      | TREAT   | Organization/f001  | " + NOW + "          | ABSTAIN",
        "Emergency   | Observation        | Device/news2-twin      | ETREAT  | Organization/f001  | " + NOW + "          | DENY provision.provision[0]",
        "Emergency   | Observation        | Device/news2-twin      | ETREAT  | Organization/other | " + NOW + "          | ABSTAIN",
        "grantor     | Observation        | Device/news2-twin      | TREAT   | Organization/f001  | " + NOW + "          | DENY provision",
        "grantor     | Observation        | Device/news2-twin      | TREAT   | Organization/other | " + NOW + "          | ABSTAIN",
        "grantor     | Observation        | Patient/example        | TREAT   | Organization/other | " + NOW + "          | DENY provision",
        "notAuthor   | Observation        | Device/news2-twin      | TREAT   | Organization/f001  | " + NOW + "          | PERMIT provision",
        "notAuthor   | Observation        | Device/news2-twin      | TREAT   | -                  | " + NOW + "          | ABSTAIN",
        "notOrg      | Observation        | Organization/f001      | TREAT   | -                  | " + NOW + "          | DENY provision",
        "notOrg      | Observation        | Device/news2-twin      | TREAT   | -                  | " + NOW + "          | ABSTAIN",
        "notThem     | Observation        | Practitioner/f204      | TREAT   | -                  | " + NOW + "          | PERMIT provision",
        "notThem     | Observation        | Device/news2-twin      | TREAT   | -                  | " + NOW + "          | ABSTAIN",
        "notThis     | Observation>Task/example3 | Device/news2-twin | TREAT | -                  | " + NOW + "          | PERMIT provision",
        "notThis     | Observation        | Device/news2-twin      | TREAT   | -                  | " + NOW + "          | ABSTAIN",
        "pkb         | Observation        | Organization/f001      | TREAT   | -                  | " + NOW + "          | DENY provision.provision[2]",
        "pkb         | Observation+PSY    | Organization/f001      | TREAT   | -                  | " + NOW + "          | DENY provision.provision[0]",
        "pkb         | Observation+R      | Organization/f001      | TREAT   | -                  | " + NOW + "          | ABSTAIN",
        "pkb         | Observation        | Device/news2-twin      | TREAT   | -                  | " + NOW + "          | ABSTAIN",
        "signature   | Observation        | Practitioner/13        | TREAT   | -                  | 2016-01-01T00:00:00Z | PERMIT provision",
        "signature   | Observation        | Device/news2-twin      | TREAT   | -                  | 2016-01-01T00:00:00Z | ABSTAIN",
        "signature   | Observation        | Practitioner/13        | TREAT   | -                  | " + NOW + "          | ABSTAIN",
        "smartonfhir | Observation        | Device/news2-twin      | TREAT   | -                  | 2016-06-23T07:10:00Z | PERMIT provision",
        "smartonfhir | Observation        | Device/news2-twin      | TREAT   | -                  | " + NOW + "          | ABSTAIN",
    })
    void vote_specExample(String name, String record, String actor, String purpose, String custodian, String at,
            String expected) {
        ConsentRequest request = new ConsentRequest("twin", Set.of(actor), purpose, Requests.record(record),
                Optional.of("ehr"), Optional.ofNullable(custodian), Instant.parse(at));

        ConsentVote vote = evaluator.vote(example(name), request);

        assertThat(summary(vote)).as(vote.reason()).isEqualTo(expected);
    }

    /** The names the table above covers; the sweep below checks that it is every example there is. */
    static final List<String> COVERED = List.of("basic", "notTime", "Out", "Emergency", "grantor", "notAuthor",
            "notOrg", "notThem", "notThis", "pkb", "signature", "smartonfhir");

    @Test
    void table_coversEveryConsentExampleOfTheSpecification_andTheCopiesAreExact() throws IOException {
        Path shared = Stream.concat(Stream.ofNullable(System.getenv("TWINBRIDGE_SHARED_DATA")),
                        Stream.of("../../shared/data", "../shared/data", "../../../shared/data"))
                .map(p -> Path.of(p, "fhir-r4-examples", "Consent")).filter(Files::isDirectory).findFirst()
                .orElse(null);
        if (shared == null && Boolean.parseBoolean(System.getenv("TWINBRIDGE_REQUIRE_SHARED_DATA"))) {
            throw new AssertionError("shared test data fhir-r4-examples/Consent is required but was not found next "
                    + "to the repository; set TWINBRIDGE_SHARED_DATA");
        }
        Assumptions.assumeTrue(shared != null, "shared test data (fhir-r4-examples/Consent) not found next to the "
                + "repository; skipping the sweep (the local copies are still tested above). Set "
                + "TWINBRIDGE_SHARED_DATA=/path/to/shared/data to run it.");
        List<Path> files;
        try (Stream<Path> list = Files.list(shared)) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSize(COVERED.size());
        for (Path file : files) {
            String name = file.getFileName().toString().replace("Consent-consent-example-", "").replace(".json", "");
            assertThat(COVERED).as(file.getFileName().toString()).contains(name);
            try (InputStream local = getClass().getClassLoader().getResourceAsStream(DIR + file.getFileName())) {
                assertThat(local).as("local copy of " + file.getFileName()).isNotNull();
                assertThat(local.readAllBytes()).isEqualTo(Files.readAllBytes(file));
            }
        }
    }
}
