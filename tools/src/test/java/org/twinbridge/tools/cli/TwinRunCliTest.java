package org.twinbridge.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.tools.demo.BundledFiles;
import org.twinbridge.tools.demo.CgmReadings;

/** {@code twin run} with the bundled NEWS2, glucose and tumour plugins, as a vendor would use it. */
class TwinRunCliTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @TempDir
    Path dir;

    @Test
    void news2ById_printsTheScoreAndRiskAsNdjson_aboutThePseudonymOnly() throws Exception {
        Path records = write("vitals.json", vitalsBundle("patient-4711", 25, 90, 95, 135, 39.2));

        CliRun run = CliRun.of("twin", "run", "--plugin", "news2-twin", "--records", records.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<Resource> outputs = parse(run.out());
        Observation score = outputs.stream().filter(Observation.class::isInstance).map(Observation.class::cast)
                .filter(o -> o.getCode().getCodingFirstRep().getCode().equals("1104051000000101")).reduce((a, b) -> b)
                .orElseThrow();
        // RR 25 → 3, SpO2 95 (scale 1) → 1, air → 0, systolic 135 → 0, pulse 90 → 0, alert → 0, 39.2 °C → 2
        assertThat(score.getValueIntegerType().getValue()).isEqualTo(6);
        assertThat(outputs).anySatisfy(r -> assertThat(r).isInstanceOf(RiskAssessment.class));
        assertThat(run.out()).doesNotContain("patient-4711");
        assertThat(run.err()).contains("news2-twin").contains("6 delivered");
    }

    @Test
    void glucoseByJarPath_forecastsAndAlertsFromTheCgmSeries() throws Exception {
        Path jar = bundledJar("glucose-twin");
        List<Observation> cgm = CgmReadings.observations(new Reference("Patient/cgm-1"),
                new Reference("Device/sensor-1"), Instant.parse("2025-03-02T09:00:00Z"));
        StringBuilder ndjson = new StringBuilder();
        // Shuffled on purpose: twin run feeds records in order of effective time, whatever the file order.
        for (int i = cgm.size() - 1; i >= 0; i--) {
            ndjson.append(FHIR.newJsonParser().encodeResourceToString(cgm.get(i))).append('\n');
        }
        Path records = dir.resolve("cgm.ndjson");
        Files.writeString(records, ndjson);

        CliRun run = CliRun.of("twin", "run", "--plugin", jar.toString(), "--records", records.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<Resource> outputs = parse(run.out());
        assertThat(outputs.stream().filter(Flag.class::isInstance)).as("predicted-hypoglycaemia alert").isNotEmpty();
        assertThat(outputs.stream().filter(Observation.class::isInstance).count()).isGreaterThan(100);
        assertThat(run.err()).contains(cgm.size() + " delivered");
    }

    @Test
    void tumourById_withTheDemoPolicies_projectsAFutureSizePerRegimen() throws Exception {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        double[] sizes = {52, 47, 43, 40};
        for (int week = 0; week < sizes.length; week++) {
            Observation obs = observation("patient-9", "21889-1", "Size Tumor", sizes[week], "mm",
                    Instant.parse("2025-01-06T10:00:00Z").plusSeconds(week * 6L * 7 * 86400));
            bundle.addEntry().setResource(obs);
        }
        Path records = write("tumour.json", bundle);

        CliRun run = CliRun.of("twin", "run", "--plugin", "tumour-twin", "--records", records.toString(),
                "--policies", demoPolicies().toString(), "--purpose", "TREAT");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(parse(run.out())).isNotEmpty();
        assertThat(run.err()).contains("policies ").contains("4 delivered");
    }

    @Test
    void aPurposeThePoliciesDoNotGrant_deliversNothing_andSaysWhy() throws Exception {
        Path records = write("vitals.json", vitalsBundle("patient-1", 18, 72, 97, 125, 37.0));

        CliRun run = CliRun.of("twin", "run", "--plugin", "news2-twin", "--records", records.toString(),
                "--policies", demoPolicies().toString(), "--purpose", "HRESCH");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("0 delivered").contains("denied 6:");
    }

    @Test
    void anUnknownPluginId_exits2_listingTheBundledOnes() throws Exception {
        Path records = write("vitals.json", vitalsBundle("patient-1", 18, 72, 97, 125, 37.0));

        CliRun run = CliRun.of("twin", "run", "--plugin", "no-such-twin", "--records", records.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("TB-TWIN-001").contains("news2-twin").contains("glucose-twin")
                .contains("tumour-twin");
    }

    @Test
    void aBrokenRecordsFile_exits2_namingTheFileAndLine() throws Exception {
        Path records = dir.resolve("broken.ndjson");
        Files.writeString(records, "{\"resourceType\":\"Observation\",\"status\":\"final\","
                + "\"code\":{\"text\":\"x\"}}\nnot json at all\n");

        CliRun run = CliRun.of("twin", "run", "--plugin", "news2-twin", "--records", records.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("TB-TWIN-003 " + records + ":2:");
    }

    @Test
    void aBrokenPolicySet_exits2_withFileLineColumn() throws Exception {
        Path policies = Files.createDirectories(dir.resolve("bad-policies"));
        Files.writeString(policies.resolve("policy.yaml"), "policy-set:\n  id: x\nrules:\n  - id: r1\n    effect: maybe\n");
        Path records = write("vitals.json", vitalsBundle("patient-1", 18, 72, 97, 125, 37.0));

        CliRun run = CliRun.of("twin", "run", "--plugin", "news2-twin", "--records", records.toString(),
                "--policies", policies.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(policies.resolve("policy.yaml") + ":");
    }

    private Path demoPolicies() throws Exception {
        Path policies = dir.resolve("policies");
        BundledFiles.extract("bundled-policies/demo", policies);
        return policies;
    }

    private Path bundledJar(String id) throws Exception {
        Path plugins = dir.resolve("plugins");
        BundledFiles.extract("bundled-plugins", plugins);
        try (var files = Files.list(plugins)) {
            return files.filter(f -> f.getFileName().toString().contains(id.replace("-twin", "")))
                    .filter(f -> f.toString().endsWith(".jar")).findFirst().orElseThrow();
        }
    }

    private Path write(String name, Resource resource) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, FHIR.newJsonParser().encodeResourceToString(resource));
        return file;
    }

    private static List<Resource> parse(String ndjson) {
        return ndjson.lines().filter(l -> !l.isBlank())
                .map(l -> (Resource) FHIR.newJsonParser().parseResource(l)).toList();
    }

    private static Bundle vitalsBundle(String patient, double rr, double pulse, double spo2, double systolic,
            double temp) {
        Instant at = Instant.parse("2025-03-01T08:00:00Z");
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        bundle.addEntry().setResource(observation(patient, "9279-1", "Respiratory rate", rr, "/min", at));
        bundle.addEntry().setResource(observation(patient, "8867-4", "Heart rate", pulse, "/min", at));
        bundle.addEntry().setResource(observation(patient, "59408-5", "SpO2", spo2, "%", at));
        bundle.addEntry().setResource(observation(patient, "8480-6", "Systolic blood pressure", systolic, "mm[Hg]",
                at));
        bundle.addEntry().setResource(observation(patient, "8310-5", "Body temperature", temp, "Cel", at));
        Observation acvpu = observation(patient, "67775-7", "Level of responsiveness", 0, "", at);
        acvpu.setValue(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding("http://snomed.info/sct",
                "248234008", "Mentally alert")));
        bundle.addEntry().setResource(acvpu);
        return bundle;
    }

    private static Observation observation(String patient, String loinc, String display, double value, String unit,
            Instant at) {
        Observation obs = new Observation();
        obs.setId(loinc + "-" + at.getEpochSecond());
        obs.setStatus(Observation.ObservationStatus.FINAL);
        obs.addCategory().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/observation-category")
                .setCode("vital-signs");
        obs.getCode().addCoding().setSystem("http://loinc.org").setCode(loinc).setDisplay(display);
        obs.setSubject(new Reference("Patient/" + patient));
        obs.setEffective(new DateTimeType(java.util.Date.from(at)));
        obs.setValue(new Quantity().setValue(value).setUnit(unit).setSystem("http://unitsofmeasure.org").setCode(unit));
        return obs;
    }
}
