package org.twinbridge.consent.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twinbridge.consent.evaluation.Requests.NOW;
import static org.twinbridge.consent.evaluation.Requests.consent;
import static org.twinbridge.consent.evaluation.Requests.request;
import static org.twinbridge.consent.evaluation.Requests.summary;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.twinbridge.consent.model.ConsentDefaults;
import org.twinbridge.consent.model.RegisteredConsent;

/** Nested provisions as exceptions, condition by condition: a truth table over small hand-written consents. */
class NestedProvisionTest {

    private static final String HEAD = """
            { "resourceType": "Consent", "id": "%s", "status": "%s",
              "scope": { "coding": [ { "system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "%s" } ] },
              "patient": { "reference": "Patient/p1" },
            """;

    private static String consentJson(String id, String status, String scope, String rest) {
        return HEAD.formatted(id, status, scope) + rest + " }";
    }

    private static String active(String id, String provision) {
        return consentJson(id, "active", "patient-privacy", "\"provision\": " + provision);
    }

    /** The fixtures the table refers to by name. */
    static final Map<String, String> FIXTURES = Map.ofEntries(
            // permit, except Observations, except heart rates: three levels of exception
            Map.entry("three-levels", active("three-levels", """
                    { "type": "permit", "provision": [ { "type": "deny",
                        "class": [ { "system": "http://hl7.org/fhir/resource-types", "code": "Observation" } ],
                        "provision": [ { "type": "permit",
                          "code": [ { "coding": [ { "system": "http://loinc.org", "code": "8867-4" } ] } ] } ] } ] }
                    """)),
            // deny, except treatment, except psychiatric records: sibling exceptions, deny overrides
            Map.entry("deny-but-treat", active("deny-but-treat", """
                    { "type": "deny", "provision": [
                        { "type": "permit", "purpose": [ { "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "TREAT" } ] },
                        { "type": "deny", "securityLabel": [ { "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "PSY" } ] } ] }
                    """)),
            // only about news2-twin: permit, except data from 2020
            Map.entry("actor-and-data-period", active("actor-and-data-period", """
                    { "type": "permit", "actor": [ { "role": { "coding": [ { "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "PRCP" } ] },
                        "reference": { "reference": "Device/news2-twin" } } ],
                      "provision": [ { "type": "deny", "dataPeriod": { "start": "2020-01-01", "end": "2020-12-31" } } ] }
                    """)),
            // deny, with a permit exception this node cannot evaluate (a class in an unknown system)
            Map.entry("unknown-permit", active("unknown-permit", """
                    { "type": "deny", "provision": [ { "type": "permit",
                        "class": [ { "system": "urn:example:classes", "code": "vitals" } ] } ] }
                    """)),
            // permit, except what the custodian Organization/f001 holds
            Map.entry("custodian-deny", active("custodian-deny", """
                    { "type": "permit", "provision": [ { "type": "deny", "actor": [ {
                        "role": { "coding": [ { "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "CST" } ] },
                        "reference": { "reference": "Organization/f001" } } ] } ] }
                    """)),
            Map.entry("author-deny", active("author-deny", """
                    { "type": "permit", "provision": [ { "type": "deny", "actor": [ {
                        "role": { "coding": [ { "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "AUT" } ] },
                        "reference": { "reference": "Practitioner/author-1" } } ] } ] }
                    """)),
            Map.entry("inactive", consentJson("inactive", "inactive", "patient-privacy",
                    "\"provision\": { \"type\": \"permit\" }")),
            Map.entry("draft", consentJson("draft", "draft", "patient-privacy",
                    "\"provision\": { \"type\": \"deny\" }")),
            Map.entry("research-permit", consentJson("research-permit", "active", "research",
                    "\"provision\": { \"type\": \"permit\" }")),
            Map.entry("treatment-deny", consentJson("treatment-deny", "active", "treatment",
                    "\"provision\": { \"type\": \"deny\" }")),
            Map.entry("adr", consentJson("adr", "active", "adr", "\"provision\": { \"type\": \"deny\" }")),
            Map.entry("unknown-scope-deny", HEAD.formatted("unknown-scope-deny", "active", "x")
                    .replace("consentscope", "other") + "\"provision\": { \"type\": \"deny\" } }"),
            Map.entry("unknown-scope-permit", HEAD.formatted("unknown-scope-permit", "active", "x")
                    .replace("consentscope", "other") + "\"provision\": { \"type\": \"permit\" } }"),
            Map.entry("disclose-only", active("disclose-only", """
                    { "type": "deny", "action": [ { "coding": [ { "system": "http://terminology.hl7.org/CodeSystem/consentaction", "code": "disclose" } ] } ] }
                    """)),
            Map.entry("use", active("use", """
                    { "type": "deny", "action": [ { "coding": [ { "system": "http://terminology.hl7.org/CodeSystem/consentaction", "code": "use" } ] } ] }
                    """)),
            Map.entry("untyped-nested", active("untyped-nested", """
                    { "type": "permit", "provision": [ { "class": [ { "system": "http://hl7.org/fhir/resource-types", "code": "Observation" } ] } ] }
                    """)),
            Map.entry("data-instance", active("data-instance", """
                    { "type": "permit", "provision": [ { "type": "deny",
                        "data": [ { "meaning": "instance", "reference": { "reference": "Observation/o1" } } ] } ] }
                    """)),
            Map.entry("period-2026", active("period-2026", """
                    { "type": "permit", "period": { "start": "2026-01-01", "end": "2026-03-01" } }
                    """)),
            Map.entry("period-2027", active("period-2027", """
                    { "type": "permit", "period": { "start": "2027-01-01" } }
                    """)),
            Map.entry("optout-no-provision", consentJson("optout-no-provision", "active", "patient-privacy", """
                    "policyRule": { "coding": [ { "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTOUT" } ] }
                    """)),
            Map.entry("optin-no-provision", consentJson("optin-no-provision", "active", "patient-privacy", """
                    "policyRule": { "coding": [ { "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN" } ] }
                    """)),
            Map.entry("no-base", consentJson("no-base", "active", "patient-privacy", """
                    "provision": { "class": [ { "system": "http://hl7.org/fhir/resource-types", "code": "Observation" } ] }
                    """)),
            Map.entry("restricted-deny", active("restricted-deny", """
                    { "type": "deny", "securityLabel": [ { "system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "R" } ] }
                    """)));

    private final ConsentEvaluator evaluator = new ConsentEvaluator(Requests.FHIR, ConsentDefaults.denyAll());

    @ParameterizedTest(name = "{0}: {1} {2} {3} custodian={4} -> {5}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // fixture             | recipient    | purpose | record                          | custodian          | expected
        "three-levels          | news2-twin   | TREAT   | Patient                         | -                  | PERMIT provision",
        "three-levels          | news2-twin   | TREAT   | Observation:1234-5              | -                  | DENY provision.provision[0]",
        "three-levels          | news2-twin   | TREAT   | Observation:8867-4              | -                  | PERMIT provision.provision[0].provision[0]",
        "deny-but-treat        | news2-twin   | HRESCH  | Observation                     | -                  | DENY provision",
        "deny-but-treat        | news2-twin   | TREAT   | Observation                     | -                  | PERMIT provision.provision[0]",
        "deny-but-treat        | news2-twin   | ETREAT  | Observation                     | -                  | PERMIT provision.provision[0]",
        "deny-but-treat        | news2-twin   | TREAT   | Observation+PSY                 | -                  | DENY provision.provision[1]",
        "actor-and-data-period | glucose-twin | TREAT   | Observation@2022-05-01          | -                  | ABSTAIN",
        "actor-and-data-period | news2-twin   | TREAT   | Observation@2022-05-01          | -                  | PERMIT provision",
        "actor-and-data-period | news2-twin   | TREAT   | Observation@2020-06-01          | -                  | DENY provision.provision[0]",
        "actor-and-data-period | news2-twin   | TREAT   | Observation@2020-12-31T12:00:00Z | -                 | DENY provision.provision[0]",
        "actor-and-data-period | news2-twin   | TREAT   | Patient                         | -                  | DENY provision.provision[0]",
        "unknown-permit        | news2-twin   | TREAT   | Observation                     | -                  | DENY provision",
        "custodian-deny        | news2-twin   | TREAT   | Observation                     | Organization/f001  | DENY provision.provision[0]",
        "custodian-deny        | news2-twin   | TREAT   | Observation                     | Organization/other | PERMIT provision",
        "custodian-deny        | news2-twin   | TREAT   | Observation                     | -                  | DENY provision.provision[0]",
        "author-deny           | news2-twin   | TREAT   | Observation                     | -                  | DENY provision.provision[0]",
        "author-deny           | news2-twin   | TREAT   | Patient                         | -                  | DENY provision.provision[0]",
        "inactive              | news2-twin   | TREAT   | Observation                     | -                  | ABSTAIN",
        "draft                 | news2-twin   | TREAT   | Observation                     | -                  | ABSTAIN",
        "research-permit       | news2-twin   | TREAT   | Observation                     | -                  | ABSTAIN",
        "research-permit       | news2-twin   | HRESCH  | Observation                     | -                  | PERMIT provision",
        "research-permit       | news2-twin   | CLINTRCH | Observation                    | -                  | PERMIT provision",
        "treatment-deny        | news2-twin   | ETREAT  | Observation                     | -                  | DENY provision",
        "treatment-deny        | news2-twin   | HRESCH  | Observation                     | -                  | ABSTAIN",
        "adr                   | news2-twin   | TREAT   | Observation                     | -                  | ABSTAIN",
        "unknown-scope-deny    | news2-twin   | TREAT   | Observation                     | -                  | DENY provision",
        "unknown-scope-permit  | news2-twin   | TREAT   | Observation                     | -                  | ABSTAIN",
        "disclose-only         | news2-twin   | TREAT   | Observation                     | -                  | ABSTAIN",
        "use                   | news2-twin   | TREAT   | Observation                     | -                  | DENY provision",
        "untyped-nested        | news2-twin   | TREAT   | Observation                     | -                  | DENY provision.provision[0]",
        "untyped-nested        | news2-twin   | TREAT   | Patient                         | -                  | PERMIT provision",
        "data-instance         | news2-twin   | TREAT   | Observation#o1                  | -                  | DENY provision.provision[0]",
        "data-instance         | news2-twin   | TREAT   | Observation#o2                  | -                  | PERMIT provision",
        "period-2026           | news2-twin   | TREAT   | Observation                     | -                  | PERMIT provision",
        "period-2027           | news2-twin   | TREAT   | Observation                     | -                  | ABSTAIN",
        "optout-no-provision   | news2-twin   | TREAT   | Observation                     | -                  | DENY provision",
        "optin-no-provision    | news2-twin   | TREAT   | Observation                     | -                  | PERMIT provision",
        "no-base               | news2-twin   | TREAT   | Observation                     | -                  | DENY provision",
        "no-base               | news2-twin   | TREAT   | Patient                         | -                  | ABSTAIN",
        "restricted-deny       | news2-twin   | TREAT   | Observation                     | -                  | DENY provision",
        "restricted-deny       | news2-twin   | TREAT   | Observation+V                   | -                  | ABSTAIN",
        "restricted-deny       | news2-twin   | TREAT   | Observation+L                   | -                  | DENY provision",
    })
    void vote_nestedProvisionCases(String fixture, String recipient, String purpose, String record, String custodian,
            String expected) {
        RegisteredConsent consent = consent("ehr", FIXTURES.get(fixture));

        ConsentVote vote = evaluator.vote(consent, request(recipient, purpose, record, custodian, NOW));

        assertThat(summary(vote)).as(vote.reason()).isEqualTo(expected);
    }

    @Test
    void vote_dataReferenceFromAnotherSource_doesNotNameThisRecord() {
        RegisteredConsent fromLab = consent("lab", FIXTURES.get("data-instance"));

        ConsentVote vote = evaluator.vote(fromLab, request("news2-twin", "TREAT", "Observation#o1", null, NOW));

        assertThat(summary(vote)).isEqualTo("PERMIT provision");
    }

    @Test
    void vote_periodEndIsInclusiveOfItsDay() {
        RegisteredConsent consent = consent("ehr", FIXTURES.get("period-2026"));

        assertThat(summary(evaluator.vote(consent, request("news2-twin", "TREAT", "Observation", null,
                Instant.parse("2026-03-01T23:59:00Z"))))).isEqualTo("PERMIT provision");
        assertThat(summary(evaluator.vote(consent, request("news2-twin", "TREAT", "Observation", null,
                Instant.parse("2026-03-02T12:00:00Z"))))).isEqualTo("ABSTAIN");
    }

    @Test
    void reason_namesConsentVersionPathAndWhatMatched_butNoRecordContent() {
        RegisteredConsent consent = consent("ehr", FIXTURES.get("three-levels"));

        ConsentVote vote = evaluator.vote(consent, request("news2-twin", "TREAT", "Observation:1234-5", null, NOW));

        assertThat(vote.reason()).isEqualTo("Consent/three-levels v1 (ehr) provision.provision[0] denies class "
                + "Observation");
    }

    @Test
    void reason_ofAnAssumedDeny_saysWhatCouldNotBeTold() {
        RegisteredConsent consent = consent("ehr", FIXTURES.get("custodian-deny"));

        ConsentVote vote = evaluator.vote(consent, request("news2-twin", "TREAT", "Observation", null, NOW));

        assertThat(vote.reason()).isEqualTo("Consent/custodian-deny v1 (ehr) provision.provision[0] denies: assumed "
                + "to apply, because it denies and this node cannot tell about a custodian actor (no custodian is "
                + "configured for this record's source)");
    }

    @Test
    void reason_ofALabelOrCodeMatch_namesTheKindNotTheValue() {
        RegisteredConsent consent = consent("ehr", FIXTURES.get("deny-but-treat"));

        ConsentVote vote = evaluator.vote(consent, request("news2-twin", "TREAT", "Observation+PSY", null, NOW));

        assertThat(vote.reason()).contains("a listed security label").doesNotContain("PSY")
                .doesNotContain("CANARY");
    }
}
