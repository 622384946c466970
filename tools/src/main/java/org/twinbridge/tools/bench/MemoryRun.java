package org.twinbridge.tools.bench;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * Heap per patient with twin state: N distinct patients each get one heart-rate reading through the whole
 * pipeline, so every plugin holds state for every patient; heap in use after a full GC, before and after,
 * divided by patients and plugins.
 */
final class MemoryRun {

    /** @param bytesPerPatientPlugin heap growth after GC / patients / plugins */
    record Result(int patients, int plugins, long heapGrowthBytes, double bytesPerPatientPlugin, double seconds) {
    }

    private MemoryRun() {
    }

    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static Result run(BenchPipeline pipeline, int patients, int workers, Progress progress) throws Exception {
        List<CanonicalRecord> records = readings(patients);
        long before = heapAfterGc();
        ThroughputRun.Result run = ThroughputRun.run(pipeline, List.of(), records, workers, progress);
        long after = heapAfterGc();
        int plugins = pipeline.subscribers.size();
        long growth = after - before;
        return new Result(patients, plugins, growth, (double) growth / patients / plugins, run.seconds());
    }

    private static List<CanonicalRecord> readings(int patients) {
        List<CanonicalRecord> records = new ArrayList<>(patients);
        for (int i = 0; i < patients; i++) {
            Observation o = new Observation();
            o.setId("mem-" + i);
            o.setStatus(Observation.ObservationStatus.FINAL);
            o.addCategory(new CodeableConcept(new Coding(
                    "http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", null)));
            o.setCode(new CodeableConcept(new Coding("http://loinc.org", "8867-4", "Heart rate")));
            o.setSubject(new Reference("Patient/mem-patient-" + i));
            o.setEffective(new DateTimeType("2026-11-29T10:00:00Z"));
            o.setValue(new Quantity().setValue(new BigDecimal(60 + i % 40)).setUnit("/min")
                    .setSystem("http://unitsofmeasure.org").setCode("/min"));
            records.add(CanonicalRecord.of("memory", "Observation/mem-" + i, o));
        }
        return records;
    }
}
