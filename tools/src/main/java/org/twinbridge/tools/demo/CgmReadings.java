package org.twinbridge.tools.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/**
 * The demo's continuous glucose monitor: 12 hours of real (de-identified, author-time-shifted) Dexcom G6 sensor
 * readings shipped in {@code demo/cgm/} (see {@code demo/NOTICE.md}), turned into FHIR Observations as a CGM
 * gateway would send them (LOINC 99504-3, glucose in interstitial fluid, mg/dL, with the sensor as device) and
 * moved in time so that the last reading is just before the demo starts.
 */
public final class CgmReadings {

    static final String SUBSET = "demo/cgm/dexcom-g6-egv-subset.csv";
    private static final String LOINC_CGM = "99504-3";

    private CgmReadings() {
    }

    /** One sensor reading: when, and glucose in mg/dL. */
    public record Reading(Instant at, int mgPerDl) {
    }

    /** The shipped readings, in time order, at their original (already author-shifted) times, taken as UTC. */
    public static List<Reading> shipped() throws IOException {
        List<Reading> readings = new ArrayList<>();
        try (InputStream in = CgmReadings.class.getClassLoader().getResourceAsStream(SUBSET)) {
            if (in == null) {
                throw new IOException("TB-DEMO-001 demo data " + SUBSET + " is missing from the runtime jar; rebuild it");
            }
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (String line : lines) {
                String[] cells = line.split(",", -1);
                if (cells.length > 7 && cells[2].equals("EGV") && cells[7].matches("\\d{2,3}")) {
                    readings.add(new Reading(LocalDateTime.parse(cells[1]).toInstant(ZoneOffset.UTC),
                            Integer.parseInt(cells[7])));
                }
            }
        }
        return readings;
    }

    /**
     * The shipped readings as Observations about {@code subject}, shifted so that the last one is at
     * {@code lastAt}.
     */
    public static List<Observation> observations(Reference subject, Reference device, Instant lastAt)
            throws IOException {
        List<Reading> readings = shipped();
        Duration shift = Duration.between(readings.get(readings.size() - 1).at(), lastAt);
        List<Observation> observations = new ArrayList<>();
        for (Reading reading : readings) {
            Observation obs = new Observation();
            obs.setStatus(Observation.ObservationStatus.FINAL);
            obs.setCode(new CodeableConcept().addCoding(new Coding("http://loinc.org", LOINC_CGM,
                    "Glucose [Mass/volume] in Interstitial fluid")));
            obs.setSubject(subject.copy());
            obs.setDevice(device.copy());
            obs.setEffective(new DateTimeType(Date.from(reading.at().plus(shift))));
            obs.setValue(new Quantity().setValue(reading.mgPerDl()).setUnit("mg/dL")
                    .setSystem("http://unitsofmeasure.org").setCode("mg/dL"));
            observations.add(obs);
        }
        return observations;
    }
}
