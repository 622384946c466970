package org.twinbridge.tools.demo;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/**
 * Files other systems would drop for the node, each record pointing at its patient by medical record number (a
 * logical reference), as systems outside the EHR do: a home-monitoring service's Bundle and NDJSON file of vital
 * signs and its export of 12 hours of continuous glucose monitoring ({@link CgmReadings}) for the last patient,
 * and a radiology system's four tumour-size assessments (synthetic, six weeks apart, a shrinking lesion under
 * treatment) for the first.
 */
final class DropFolder {

    static final String MRN_SYSTEM = "http://hospital.smarthealthit.org";
    static final int VITALS = 4;
    static final int FILES = 4;
    private static final double[] TUMOUR_SIZES_MM = {54, 48, 43.5, 40};

    private DropFolder() {
    }

    /** Writes the files into {@code inbox}; returns how many records they hold. */
    static int write(Path inbox, List<Patient> patients, Instant now) throws IOException {
        Files.createDirectories(inbox);
        String mrn = mrnOf(patients.get(patients.size() - 1));
        Instant at = now.minus(Duration.ofHours(5));
        FhirContext fhir = FhirContext.forR4Cached();
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        bundle.addEntry().setResource(vital(mrn, at, "9279-1", "Respiratory rate", 17, "/min"));
        bundle.addEntry().setResource(vital(mrn, at, "8310-5", "Body temperature", 37.1, "Cel"));
        Files.writeString(inbox.resolve("home-visit.json"), fhir.newJsonParser().setPrettyPrint(true)
                .encodeResourceToString(bundle), StandardCharsets.UTF_8);
        String ndjson = fhir.newJsonParser().encodeResourceToString(vital(mrn, at.plusSeconds(3600), "8867-4",
                "Heart rate", 74, "/min")) + "\n" + fhir.newJsonParser().encodeResourceToString(vital(mrn,
                at.plusSeconds(3600), "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", 96, "%"))
                + "\n";
        Files.writeString(inbox.resolve("home-monitor.ndjson"), ndjson, StandardCharsets.UTF_8);
        List<Observation> cgm = CgmReadings.observations(patientByMrn(mrn), new Reference("Device/demo-cgm-sensor"),
                now.minus(Duration.ofMinutes(10)));
        StringBuilder cgmNdjson = new StringBuilder();
        cgm.forEach(o -> cgmNdjson.append(fhir.newJsonParser().encodeResourceToString(o)).append('\n'));
        Files.writeString(inbox.resolve("cgm-sensor.ndjson"), cgmNdjson, StandardCharsets.UTF_8);
        StringBuilder imaging = new StringBuilder();
        String firstMrn = mrnOf(patients.get(0));
        for (int i = 0; i < TUMOUR_SIZES_MM.length; i++) {
            Instant assessed = now.minus(Duration.ofDays(7L + 42L * (TUMOUR_SIZES_MM.length - 1 - i)));
            Observation size = vital(firstMrn, assessed, "21889-1", "Size Tumor", TUMOUR_SIZES_MM[i], "mm");
            size.getCategory().clear();
            size.addCategory(new CodeableConcept().addCoding(new Coding(
                    "http://terminology.hl7.org/CodeSystem/observation-category", "imaging", "Imaging")));
            imaging.append(fhir.newJsonParser().encodeResourceToString(size)).append('\n');
        }
        Files.writeString(inbox.resolve("oncology-imaging.ndjson"), imaging, StandardCharsets.UTF_8);
        return VITALS + cgm.size() + TUMOUR_SIZES_MM.length;
    }

    private static String mrnOf(Patient patient) throws IOException {
        return patient.getIdentifier().stream().filter(i -> MRN_SYSTEM.equals(i.getSystem())).findFirst()
                .map(Identifier::getValue).orElseThrow(() -> new IOException("TB-DEMO-004 demo patient without MRN"));
    }

    private static Reference patientByMrn(String mrn) {
        return new Reference().setType("Patient").setIdentifier(new Identifier().setSystem(MRN_SYSTEM).setValue(mrn));
    }

    private static Observation vital(String mrn, Instant at, String loinc, String display, double value, String ucum) {
        Observation obs = new Observation();
        obs.setStatus(Observation.ObservationStatus.FINAL);
        obs.addCategory(new CodeableConcept().addCoding(new Coding(
                "http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs")));
        obs.setCode(new CodeableConcept().addCoding(new Coding("http://loinc.org", loinc, display)).setText(display));
        obs.setSubject(patientByMrn(mrn));
        obs.setEffective(new DateTimeType(Date.from(at)));
        obs.setValue(new Quantity().setValue(value).setUnit(ucum).setSystem("http://unitsofmeasure.org").setCode(ucum));
        return obs;
    }
}
