package org.twinbridge.benchmarks.policy;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.twinbridge.benchmarks.ThroughputBenchmark;
import org.twinbridge.policy.decision.AccessRequest;
import org.twinbridge.policy.decision.Decision;
import org.twinbridge.policy.decision.PolicyDecisionPoint;
import org.twinbridge.policy.enforcement.Enforcer;
import org.twinbridge.policy.model.Obligation;
import org.twinbridge.policy.explain.PreviewContext;
import org.twinbridge.policy.load.PolicyLoader;

/**
 * Decisions per second and projections per second of the policy engine, with a bare deep copy of the same
 * record as the yardstick for projection (a projection cannot be cheaper than copying what it keeps).
 * {@code otherRules} adds rules for other recipients, five in six of them for other resource types: rules are
 * indexed by type, so decision cost should follow the rules for the record's type, not the size of the set.
 */
public class PolicyBenchmark extends ThroughputBenchmark {

    private static final String DEMO = """
            policy-set: { id: bench }
            rules:
              - id: news2-vital-signs
                effect: permit
                recipients: [news2-twin]
                purposes: [TREAT]
                resource-types: [Observation]
                condition: "Observation.category.coding.where(code = 'vital-signs').exists()"
                deny-labels: [HIV, PSY, ETH]
                project:
                  Observation: [status, category, code, subject, "effective[x]", issued, "value[x]", component.code,
                                "component.value[x]", interpretation, referenceRange]
              - id: no-hiv
                effect: deny
                recipients: ["*"]
                purposes: [TREAT]
                resource-types: [Observation, Condition]
                require-labels: [HIV]
            """;
    /** Types that all have a {@code code} element; one in six filler rules is about Observations. */
    private static final List<String> OTHER_TYPES = List.of("Condition", "Procedure", "DiagnosticReport",
            "AllergyIntolerance", "ServiceRequest", "Observation");

    @Param({"0", "1000"})
    public int otherRules;

    private PolicyDecisionPoint decisions;
    private Enforcer enforcer;
    private Observation record;
    private AccessRequest request;
    private List<Obligation> obligations;
    private PreviewContext context;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        FhirContext fhir = FhirContext.forR4Cached();
        Path dir = Files.createTempDirectory("twinbridge-bench");
        StringBuilder extra = new StringBuilder(otherRules == 0 ? "rules: []\n" : "rules:\n");
        for (int i = 0; i < otherRules; i++) {
            extra.append("  - { id: other-").append(i).append(", effect: permit, recipients: [twin-").append(i)
                    .append("], purposes: [TREAT], resource-types: [").append(OTHER_TYPES.get(i % OTHER_TYPES.size()))
                    .append("], project: { ").append(OTHER_TYPES.get(i % OTHER_TYPES.size())).append(": [code] } }\n");
        }
        Files.writeString(dir.resolve("policy.yaml"), DEMO);
        Files.writeString(dir.resolve("other.yaml"), extra.toString());
        try {
            decisions = new PolicyDecisionPoint(new PolicyLoader(fhir).load(dir));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        enforcer = new Enforcer(fhir);
        record = vitalSign();
        request = new AccessRequest("news2-twin", "TREAT", record, Set.of());
        obligations = ((Decision.Permit) decisions.decide(request)).obligations();
        context = new PreviewContext("news2-twin", "Patient/p-1", LocalDate.of(2026, 11, 29));
    }

    /** A realistic vital-sign Observation, including the elements policy must drop. */
    static Observation vitalSign() {
        Observation o = new Observation();
        o.setId("bp-1");
        o.addIdentifier().setSystem("urn:oid:1.2.3").setValue("OBS-1");
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.addCategory(new CodeableConcept().addCoding(new Coding(
                "http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs")));
        o.setCode(new CodeableConcept().addCoding(new Coding("http://loinc.org", "85354-9", "Blood pressure panel")));
        o.setSubject(new Reference("Patient/p-1").setDisplay("Jane Roe"));
        o.setEffective(new DateTimeType("2026-11-01T08:00:00Z"));
        o.addPerformer(new Reference("Practitioner/pr-1").setDisplay("Nurse A"));
        o.addNote(new Annotation().setText("free text about the patient"));
        o.addComponent().setCode(new CodeableConcept().addCoding(new Coding("http://loinc.org", "8480-6", "Systolic")))
                .setValue(new Quantity().setValue(128).setUnit("mm[Hg]"));
        o.addComponent().setCode(new CodeableConcept().addCoding(new Coding("http://loinc.org", "8462-4", "Diastolic")))
                .setValue(new Quantity().setValue(82).setUnit("mm[Hg]"));
        return o;
    }

    @Benchmark
    public Decision decide() {
        return decisions.decide(request);
    }

    @Benchmark
    public Object project() {
        return enforcer.enforce(record, obligations, context);
    }

    /** The yardstick: a bare deep copy of the record. */
    @Benchmark
    public Object copy() {
        return record.copy();
    }
}
