package org.twinbridge.embedded.trial;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.SplittableRandom;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The federated trial's sites: the bundled Synthea patients dealt round-robin to {@code n} sites (sorted by id, so
 * the split is stable), each with a synthetic series of tumour-size assessments and a synthetic research consent
 * (see {@code trial/README.md}). Synthetic data only. Stateless.
 */
public final class TrialSites {

    static final String PATIENTS = "/trial/synthea-patients.ndjson";
    private static final String LOINC = "http://loinc.org";

    private TrialSites() {
    }

    /** One patient's records at a site: the Patient, its assessments and its research consent. */
    public record TrialPatient(String patientKey, Patient patient, List<Observation> assessments, Consent consent) {
        public TrialPatient {
            assessments = List.copyOf(assessments);
        }

        public List<Resource> records() {
            List<Resource> out = new ArrayList<>();
            out.add(patient);
            out.addAll(assessments);
            return out;
        }

        public boolean optedOut() {
            return consent.getProvision().getType() == Consent.ConsentProvisionType.DENY;
        }

        @Override
        public String toString() {
            return "TrialPatient[" + assessments.size() + " assessments]";
        }
    }

    /** The patients of each of {@code sites} sites, assessed up to a week before {@code now}. */
    public static List<List<TrialPatient>> split(int sites, Instant now) throws IOException {
        if (sites < 1) {
            throw new IllegalArgumentException("at least one site");
        }
        List<Patient> patients = patients();
        List<List<TrialPatient>> out = new ArrayList<>();
        for (int i = 0; i < sites; i++) {
            out.add(new ArrayList<>());
        }
        for (int i = 0; i < patients.size(); i++) {
            out.get(i % sites).add(trialPatient(patients.get(i), now));
        }
        return out;
    }

    static List<Patient> patients() throws IOException {
        IParser json = FhirContext.forR4Cached().newJsonParser();
        List<Patient> out = new ArrayList<>();
        try (InputStream in = TrialSites.class.getResourceAsStream(PATIENTS)) {
            if (in == null) {
                throw new IOException("TB-DEMO-004 " + PATIENTS + " is missing from the jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    out.add(json.parseResource(Patient.class, line));
                }
            }
        }
        out.sort(Comparator.comparing(p -> p.getIdElement().getIdPart()));
        return out;
    }

    private static TrialPatient trialPatient(Patient patient, Instant now) {
        String id = patient.getIdElement().getIdPart();
        SplittableRandom random = new SplittableRandom(id.hashCode());
        // One assessment in ten patients: not yet eligible for a projection (it needs two).
        int count = random.nextInt(10) == 0 ? 1 : 2 + random.nextInt(3);
        double size = 20 + random.nextDouble() * 60;
        double perInterval = -0.25 + random.nextDouble() * 0.45;
        List<Observation> assessments = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            Instant at = now.minus(Duration.ofDays(7L + 42L * (count - 1 - k)));
            assessments.add(assessment(id, k, at, Math.round(size * 10) / 10.0));
            size = Math.max(2, size * (1 + perInterval + random.nextGaussian() * 0.03));
        }
        boolean optOut = random.nextInt(8) == 0;
        return new TrialPatient("patient-" + id, patient, assessments, consent(id, optOut));
    }

    private static Observation assessment(String patientId, int k, Instant at, double mm) {
        Observation o = new Observation();
        o.setId("tumour-size-" + patientId + "-" + k);
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.addCategory(new CodeableConcept().addCoding(new Coding(
                "http://terminology.hl7.org/CodeSystem/observation-category", "imaging", "Imaging")));
        o.setCode(new CodeableConcept().addCoding(new Coding(LOINC, "21889-1", "Size Tumor")));
        o.setSubject(new Reference("Patient/" + patientId));
        o.setEffective(new DateTimeType(Date.from(at)));
        o.setValue(new Quantity().setValue(mm).setUnit("mm").setSystem("http://unitsofmeasure.org").setCode("mm"));
        return o;
    }

    private static Consent consent(String patientId, boolean optOut) {
        Consent c = new Consent();
        c.setId("research-" + patientId);
        c.setStatus(Consent.ConsentState.ACTIVE);
        c.setScope(new CodeableConcept().addCoding(new Coding(
                "http://terminology.hl7.org/CodeSystem/consentscope", "research", "Research")));
        c.addCategory(new CodeableConcept().addCoding(new Coding("http://loinc.org", "57016-8",
                "Privacy policy acknowledgment Document")));
        c.setPatient(new Reference("Patient/" + patientId));
        c.getProvision().setType(optOut ? Consent.ConsentProvisionType.DENY : Consent.ConsentProvisionType.PERMIT);
        return c;
    }
}
