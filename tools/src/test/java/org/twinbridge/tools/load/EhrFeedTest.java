package org.twinbridge.tools.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.twinbridge.embedded.fhir.InMemoryFhirStore;

class EhrFeedTest {

    @Test
    void charting_keepsOnlyTheLatestObservations_soALongSoakDoesNotGrowTheEhr() throws Exception {
        InMemoryFhirStore store = new InMemoryFhirStore();
        List<String> patients = EhrFeed.createPatients(store, "run1", 2);
        EhrFeed feed = new EhrFeed(store, patients, "run1", 10, new AckLedger());

        int charted = EhrFeed.RETAINED + 25;
        for (long seq = 1; seq <= charted; seq++) {
            feed.sendOnce(seq);
        }

        assertThat(store.countsByType()).containsEntry("Observation", EhrFeed.RETAINED).containsEntry("Patient", 2);
        assertThat(store.read(Observation.class, feed.journalKey(25))).as("the oldest are expunged").isEmpty();
        assertThat(store.read(Observation.class, feed.journalKey(26))).isPresent();
        assertThat(store.read(Observation.class, feed.journalKey(charted))).isPresent();
    }
}
