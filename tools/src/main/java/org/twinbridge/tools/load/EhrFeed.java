package org.twinbridge.tools.load;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.twinbridge.embedded.fhir.InMemoryFhirStore;

/**
 * A ward charting synthetic vital signs into an EHR (the embedded FHIR server's store), which the node's FHIR
 * connector polls: a heart-rate Observation (LOINC 8867-4, category vital-signs) at a time for one of the given
 * patients, round-robin. A resource counts as acknowledged once the EHR stored it; its id is
 * {@code <run>-E<n>}.
 *
 * <p>The EHR keeps only the latest {@value #RETAINED} charted observations and expunges older ones. The node polls
 * every second, so it has read them long before (at 10 a second that is over three minutes); a node that fell
 * that far behind would show them as lost, never silently. Without the window a soak's heap would grow with
 * the EHR's contents, which are not the node's memory, and every poll would scan an ever larger store.
 */
public final class EhrFeed extends Feed {

    static final int RETAINED = 2_000;
    private final InMemoryFhirStore store;
    private final List<String> patientIds;
    private final String run;
    private final ArrayDeque<String> charted = new ArrayDeque<>();

    public EhrFeed(InMemoryFhirStore store, List<String> patientIds, String run, double perSecond,
            AckListener onAcknowledged) {
        super("ehr", perSecond, onAcknowledged);
        if (patientIds.isEmpty()) {
            throw new IllegalArgumentException("TB-LOAD-003 an EHR feed needs at least one patient");
        }
        this.store = store;
        this.patientIds = List.copyOf(patientIds);
        this.run = run;
    }

    /** Creates {@code count} synthetic patients in the store and returns their ids. */
    public static List<String> createPatients(InMemoryFhirStore store, String run, int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> {
            Patient patient = new Patient();
            patient.addIdentifier().setSystem(LabFeed.MRN_SYSTEM + ":ehr").setValue(run + "-EHR-" + i);
            patient.addName().setFamily("Synthetic").addGiven("Ehr" + i);
            return store.save(patient).getIdElement().getIdPart();
        }).toList();
    }

    @Override
    public String journalKey(long seq) {
        return run + "-E" + seq;
    }

    @Override
    protected void sendOnce(long seq) {
        Observation obs = new Observation();
        obs.setId(journalKey(seq));
        obs.setStatus(Observation.ObservationStatus.FINAL);
        obs.addCategory().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/observation-category")
                .setCode("vital-signs");
        obs.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4").setDisplay("Heart rate");
        obs.setSubject(new org.hl7.fhir.r4.model.Reference(
                "Patient/" + patientIds.get((int) (seq % patientIds.size()))));
        obs.setEffective(new org.hl7.fhir.r4.model.DateTimeType(new Date()));
        obs.setValue(new Quantity().setValue(BigDecimal.valueOf(60 + seq % 60)).setUnit("/min")
                .setSystem("http://unitsofmeasure.org").setCode("/min"));
        store.save(obs);
        charted.addLast(obs.getIdElement().getIdPart());
        if (charted.size() > RETAINED) {
            store.expunge(Observation.class, charted.removeFirst());
        }
    }

    @Override
    protected void reset() {
        // In-process: nothing to reconnect.
    }
}
