package org.twinbridge.plugin.implant;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/**
 * Writes synthetic device readings as FHIR Observations (NDJSON), shaped as the MQTT connector delivers device
 * readings: MDC code, UCUM quantity, effective time, patient and device references.
 *
 * <p>Usage: {@code DeviceTraceFiles OUT_DIR [SEED]} writes {@code implant-fracture.ndjson} (a lead fracture: the
 * 20 weeks around its onset) and {@code implant-eri.ndjson} (battery readings of the 15 months before ERI).
 */
public final class DeviceTraceFiles {

    private DeviceTraceFiles() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: DeviceTraceFiles OUT_DIR [SEED]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 42L;
        Files.createDirectories(out);
        DeviceTraceGenerator.Trace fracture = DeviceTraceGenerator.generate(seed,
                DeviceTraceGenerator.Fault.FRACTURE);
        Instant onset = fracture.faultOnset().orElseThrow();
        write(out.resolve("implant-fracture.ndjson"), "implant-demo-1", fracture.readings().stream()
                .filter(r -> r.measure() != Measure.BATTERY_LONGEVITY && r.measure() != Measure.BATTERY_VOLTAGE)
                .filter(r -> r.at().isAfter(onset.minus(Duration.ofDays(98)))
                        && r.at().isBefore(onset.plus(Duration.ofDays(42)))).toList());
        DeviceTraceGenerator.Trace battery = DeviceTraceGenerator.generate(seed + 1, DeviceTraceGenerator.Fault.NONE);
        write(out.resolve("implant-eri.ndjson"), "implant-demo-2", battery.readings().stream()
                .filter(r -> r.measure() == Measure.BATTERY_LONGEVITY || r.measure() == Measure.BATTERY_VOLTAGE)
                .filter(r -> r.at().isAfter(battery.eri().minus(Duration.ofDays(456)))).toList());
        System.out.println("fracture onset " + onset + "; ERI of the second device " + battery.eri());
    }

    static Observation observation(String patient, Reading r) {
        Observation o = new Observation();
        o.setStatus(Observation.ObservationStatus.FINAL);
        Measure m = r.measure();
        o.setCode(new CodeableConcept(new Coding(m.system(), m.code(), m.display())));
        o.setSubject(new Reference("Patient/" + patient));
        o.setDevice(new Reference("Device/" + patient + "-ipg"));
        o.setEffective(new DateTimeType(Date.from(r.at())));
        o.setValue(new Quantity().setValue(BigDecimal.valueOf(r.value())).setSystem("http://unitsofmeasure.org")
                .setCode(m.unit()).setUnit(m.unit()));
        return o;
    }

    private static void write(Path file, String patient, List<Reading> readings) throws IOException {
        var json = FhirContext.forR4Cached().newJsonParser().setPrettyPrint(false);
        StringBuilder text = new StringBuilder();
        for (Reading r : readings) {
            text.append(json.encodeResourceToString(observation(patient, r))).append('\n');
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
