package org.twinbridge.benchmarks.transform;

import java.time.Clock;
import ca.uhn.fhir.context.FhirContext;
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
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.twinbridge.benchmarks.ThroughputBenchmark;
import org.twinbridge.policy.enforcement.BaselineProjection;
import org.twinbridge.policy.enforcement.Enforcer;
import org.twinbridge.policy.model.Obligation;
import org.twinbridge.policy.explain.PreviewContext;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.crypto.Pseudonyms;

/**
 * The per-record transforms a delivery applies, each against a yardstick in the same run:
 * <ul>
 *   <li>{@code pseudonym}: one node pseudonym (HMAC-SHA256 under the recipient's derived key, base32), as made
 *       for the subject and every reference of a view; yardstick {@code sha256}, one bare SHA-256 of the same
 *       input.</li>
 *   <li>{@code project} (allow-list obligation through the enforcer) and {@code baselineProjection} (the fixed
 *       projection of an allow-list node); yardstick {@code copy}, a bare deep copy.</li>
 *   <li>{@code projectAndShiftDates}: the same projection plus a date shift of every date in the view; the date
 *       shift costs the difference with {@code project}.</li>
 * </ul>
 */
public class TransformBenchmark extends ThroughputBenchmark {

    private static final Set<String> KEEP = Set.of("status", "category", "code", "subject", "effective[x]",
            "issued", "value[x]", "component.code", "component.value[x]", "referenceRange");

    private Pseudonyms pseudonyms;
    private Enforcer enforcer;
    private BaselineProjection baseline;
    private Observation record;
    private List<Obligation> project;
    private List<Obligation> projectAndShift;
    private PreviewContext context;
    private long counter;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        FhirContext fhir = FhirContext.forR4Cached();
        Path dir = Files.createTempDirectory("twinbridge-jmh-keys");
        NodeKeys keys = NodeKeys.init(dir.resolve("keys.p12"), "jmh-keystore-password".toCharArray(), "jmh", Clock.systemUTC());
        pseudonyms = keys.pseudonyms();
        enforcer = new Enforcer(fhir);
        baseline = new BaselineProjection(fhir);
        record = observation();
        project = List.of(new Obligation.AllowElements("Observation", KEEP));
        projectAndShift = List.of(new Obligation.AllowElements("Observation", KEEP), new Obligation.ShiftDates(180));
        context = new PreviewContext("news2-twin", "Patient/p-1", LocalDate.of(2026, 11, 29));
    }

    /** A Synthea-like vital-sign Observation with dates in four places and elements policy must drop. */
    static Observation observation() {
        Observation o = new Observation();
        o.setId("bp-1");
        o.addIdentifier().setSystem("urn:oid:1.2.3").setValue("OBS-1");
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.addCategory(new CodeableConcept().addCoding(new Coding(
                "http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs")));
        o.setCode(new CodeableConcept().addCoding(new Coding("http://loinc.org", "85354-9", "Blood pressure panel")));
        o.setSubject(new Reference("Patient/p-1").setDisplay("Jane Roe"));
        o.setEffective(new Period().setStartElement(new DateTimeType("2026-11-01T08:00:00Z"))
                .setEndElement(new DateTimeType("2026-11-01T08:05:00Z")));
        o.setIssuedElement(new org.hl7.fhir.r4.model.InstantType("2026-11-01T08:06:00Z"));
        o.addPerformer(new Reference("Practitioner/pr-1").setDisplay("Nurse A"));
        o.addNote(new Annotation().setText("free text about the patient").setTimeElement(
                new DateTimeType("2026-11-01T08:07:00Z")));
        o.addComponent().setCode(new CodeableConcept().addCoding(new Coding("http://loinc.org", "8480-6", "Systolic")))
                .setValue(new Quantity().setValue(128).setUnit("mm[Hg]"));
        o.addComponent().setCode(new CodeableConcept().addCoding(new Coding("http://loinc.org", "8462-4", "Diastolic")))
                .setValue(new Quantity().setValue(82).setUnit("mm[Hg]"));
        return o;
    }

    @Benchmark
    public String pseudonym() {
        return pseudonyms.of("recipient|news2-twin", "patient|" + (counter++ & 1023));
    }

    /** Yardstick for {@link #pseudonym}: one SHA-256 of the same input, hex encoded. */
    @Benchmark
    public String sha256() throws Exception {
        java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
        digest.update("recipient|news2-twin".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(digest.digest(("patient|" + (counter++ & 1023))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Benchmark
    public Resource project() {
        return enforcer.enforce(record, project, context);
    }

    @Benchmark
    public Resource projectAndShiftDates() {
        return enforcer.enforce(record, projectAndShift, context);
    }

    @Benchmark
    public Resource baselineProjection() {
        return baseline.project(record, "view-1", reference -> "Patient/pseudonym");
    }

    /** Yardstick for the projections: a bare deep copy. */
    @Benchmark
    public Resource copy() {
        return record.copy();
    }
}
