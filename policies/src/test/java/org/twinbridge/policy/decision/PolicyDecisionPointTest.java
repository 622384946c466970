package org.twinbridge.policy.decision;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.twinbridge.policy.model.Obligation;
import org.twinbridge.policy.load.PolicyLoader;

class PolicyDecisionPointTest {

    @TempDir
    Path dir;
    private PolicyDecisionPoint pdp;

    @BeforeEach
    void load() throws Exception {
        Files.writeString(dir.resolve("policy.yaml"), """
                policy-set: { id: t }
                rules:
                  - id: vitals
                    effect: permit
                    recipients: [news2-twin, "research-*"]
                    purposes: [TREAT]
                    resource-types: [Observation]
                    condition: "Observation.status = 'final'"
                    deny-labels: [PSY]
                    project: { Observation: [code, \"value[x]\"] }
                  - id: vitals-subject
                    effect: permit
                    recipients: [news2-twin]
                    purposes: [TREAT]
                    resource-types: [Observation]
                    shift-dates: 10
                    project: { Observation: [subject] }
                  - id: no-hiv
                    effect: deny
                    recipients: ["*"]
                    purposes: [TREAT]
                    resource-types: [Observation, Condition]
                    require-labels: [HIV]
                  - id: conditions-need-consent
                    effect: permit
                    recipients: [news2-twin]
                    purposes: [TREAT]
                    resource-types: [Condition]
                    consent: required
                    pseudonymise: false
                    project: { Condition: [code] }
                """);
        pdp = new PolicyDecisionPoint(new PolicyLoader(FhirContext.forR4Cached()).load(dir));
    }

    private static Observation observation(String status) {
        Observation o = new Observation();
        o.setStatus(Observation.ObservationStatus.fromCode(status));
        return o;
    }

    private Decision decide(String recipient, String purpose, Resource resource, String... labels) {
        return pdp.decide(new AccessRequest(recipient, purpose, resource, Set.of(labels)));
    }

    @ParameterizedTest(name = "{0} {1} status={2} labels={3} -> {4} by {5}")
    @CsvSource(delimiter = '|', value = {
        "news2-twin      | TREAT  | final       |      | permit | vitals vitals-subject",
        "news2-twin      | TREAT  | preliminary |      | permit | vitals-subject",
        "research-cohort | TREAT  | final       |      | permit | vitals",
        "research-cohort | TREAT  | preliminary |      | deny   | ",
        "news2-twin      | HRESCH | final       |      | deny   | ",
        "other-twin      | TREAT  | final       |      | deny   | ",
        "news2-twin      | TREAT  | final       | PSY  | permit | vitals-subject",
        "research-cohort | TREAT  | final       | PSY  | deny   | ",
        "news2-twin      | TREAT  | final       | HIV  | deny   | no-hiv",
    })
    void decide_truthTable(String recipient, String purpose, String status, String label, String outcome,
            String rules) {
        Decision d = label == null ? decide(recipient, purpose, observation(status))
                : decide(recipient, purpose, observation(status), label);

        assertThat(d.permitted()).isEqualTo(outcome.equals("permit"));
        assertThat(d.rules()).containsExactlyInAnyOrder(rules == null ? new String[0] : rules.split(" "));
        assertThat(d.policyVersion()).isEqualTo(pdp.policyVersion());
    }

    @Test
    void decide_twoPermits_mergeTheirObligations() {
        Decision.Permit permit = (Decision.Permit) decide("news2-twin", "TREAT", observation("final"));

        assertThat(permit.obligations()).containsExactly(
                new Obligation.AllowElements("Observation", Set.of("code", "value[x]", "subject")),
                new Obligation.ShiftDates(10), new Obligation.Pseudonymise());
        assertThat(permit.consentRequired()).isFalse();
    }

    @Test
    void decide_consentRequiringRule_saysSo_andWithoutPseudonymsLeavesThemOut() {
        Decision.Permit permit = (Decision.Permit) decide("news2-twin", "TREAT", new Condition());

        assertThat(permit.consentRequired()).isTrue();
        assertThat(permit.obligations()).containsExactly(new Obligation.AllowElements("Condition", Set.of("code")));
    }

    @Test
    void decide_typeWithNoRules_isDeniedByDefault() {
        Decision d = decide("news2-twin", "TREAT", new org.hl7.fhir.r4.model.Patient());

        assertThat(d).isInstanceOf(Decision.Deny.class);
        assertThat(((Decision.Deny) d).reason()).contains("default deny");
    }

    @Test
    void decide_labelsTheRecordWithTodaysCodeLists_whateverItCarriedWhenJournalled() throws Exception {
        Files.writeString(dir.resolve("labels.yaml"), """
                labels:
                  - label: HIV
                    codes: [ { system: "http://hl7.org/fhir/sid/icd-10", range: "B20-B24" } ]
                  - label: PSY
                    codes: [ { system: "http://snomed.info/sct", code: "35489007" } ]
                """);
        PolicyDecisionPoint relabelling = new PolicyDecisionPoint(new PolicyLoader(FhirContext.forR4Cached()).load(dir));
        Observation hiv = observation("final");
        hiv.addInterpretation().addCoding().setSystem("urn:oid:2.16.840.1.113883.6.90").setCode(" b22.1 ");
        Observation psy = observation("final");
        psy.addInterpretation().addCoding().setSystem("http://snomed.info/sct/").setCode("35489007");

        Decision hivDecision = relabelling.decide(new AccessRequest("news2-twin", "TREAT", hiv, Set.of()));
        Decision psyDecision = relabelling.decide(new AccessRequest("news2-twin", "TREAT", psy, Set.of()));

        assertThat(hivDecision.rules()).containsExactly("no-hiv");
        assertThat(psyDecision.rules()).containsExactly("vitals-subject");
        assertThat(((Decision.Permit) psyDecision).obligations())
                .contains(new Obligation.CarryLabels(Set.of("PSY")));
    }

    /**
     * Labels computed once for a record (the dispatcher decides each record for several plugins) give the same
     * decision as labelling afresh; labels computed under another policy version, whose code lists may differ,
     * are not trusted, and the record is labelled again.
     */
    @Test
    void decide_withLabelsComputedOnce_decidesAsLabellingAfresh_andDistrustsAnotherVersionsLabels() throws Exception {
        PolicyDecisionPoint withoutCodeLists = pdp;
        Files.writeString(dir.resolve("labels.yaml"), """
                labels:
                  - label: HIV
                    codes: [ { system: "http://hl7.org/fhir/sid/icd-10", range: "B20-B24" } ]
                """);
        PolicyDecisionPoint withCodeLists = new PolicyDecisionPoint(new PolicyLoader(FhirContext.forR4Cached())
                .load(dir));
        Observation hiv = observation("final");
        hiv.addInterpretation().addCoding().setSystem("http://hl7.org/fhir/sid/icd-10").setCode("B22.1");
        AccessRequest request = new AccessRequest("news2-twin", "TREAT", hiv, Set.of());

        DecisionPoint.Labels labelled = withCodeLists.labels(request);
        DecisionPoint.Labels stale = withoutCodeLists.labels(request);

        assertThat(labelled.labels()).containsExactly("HIV");
        assertThat(withCodeLists.decide(request, labelled)).isEqualTo(withCodeLists.decide(request));
        assertThat(withCodeLists.decide(request, labelled).rules()).containsExactly("no-hiv");
        assertThat(stale.labels()).isEmpty();
        assertThat(withCodeLists.decide(request, stale).rules()).as("another version's labels, relabelled")
                .containsExactly("no-hiv");
        assertThat(withoutCodeLists.decide(request, labelled)).isEqualTo(withoutCodeLists.decide(request));
    }
}
