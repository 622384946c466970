package org.twinbridge.embedded.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

class InMemoryFhirStoreTest {

    private static final Instant NOW = Instant.parse("2025-01-02T03:04:05.678Z");

    @Test
    void save_withAStoppedClock_stampsStrictlyIncreasingMilliseconds() {
        InMemoryFhirStore store = new InMemoryFhirStore(InMemoryFhirStore.DEFAULT_TYPES,
                Clock.fixed(NOW, ZoneOffset.UTC));

        Date first = store.save(new Patient()).getMeta().getLastUpdated();
        Date second = store.save(new Observation()).getMeta().getLastUpdated();

        assertThat(first.toInstant()).isEqualTo(NOW);
        assertThat(second.toInstant()).isEqualTo(NOW.plusMillis(1));
    }

    @Test
    void save_withAClockGoingBack_stillStampsLater() {
        MutableClock clock = new MutableClock(NOW);
        InMemoryFhirStore store = new InMemoryFhirStore(InMemoryFhirStore.DEFAULT_TYPES, clock);
        Date first = store.save(new Patient()).getMeta().getLastUpdated();
        clock.now = NOW.minusSeconds(60);

        Date second = store.save(new Patient()).getMeta().getLastUpdated();

        assertThat(second).isAfter(first);
    }

    @Test
    void save_withoutId_assignsOne_andSavingAgainAddsAVersion() {
        InMemoryFhirStore store = new InMemoryFhirStore();

        Patient created = store.save(new Patient());
        Patient updated = store.save(created.setActive(true));

        assertThat(created.getIdElement().getIdPart()).isNotBlank();
        assertThat(created.getMeta().getVersionId()).isEqualTo("1");
        assertThat(updated.getIdElement().getIdPart()).isEqualTo(created.getIdElement().getIdPart());
        assertThat(updated.getIdElement().getVersionIdPart()).isEqualTo("2");
        assertThat(updated.getMeta().getLastUpdated()).isAfter(created.getMeta().getLastUpdated());
        assertThat(store.read(Patient.class, created.getIdElement().getIdPart(), "1"))
                .hasValueSatisfying(v1 -> assertThat(v1.hasActive()).isFalse());
        assertThat(store.countsByType()).containsExactlyEntriesOf(Map.of("Patient", 1));
    }

    @Test
    void read_returnsACopy_soCallersCannotChangeTheStore() {
        InMemoryFhirStore store = new InMemoryFhirStore();
        String id = store.save(new Patient().setActive(false)).getIdElement().getIdPart();

        store.read(Patient.class, id).orElseThrow().setActive(true);

        assertThat(store.read(Patient.class, id).orElseThrow().getActive()).isFalse();
    }

    @Test
    void expunge_removesEveryVersion_soTheResourceIsNeitherReadNorFound() {
        InMemoryFhirStore store = new InMemoryFhirStore();
        String id = store.save(new Patient().setActive(false)).getIdElement().getIdPart();
        store.save((Patient) new Patient().setActive(true).setId(id));
        String kept = store.save(new Patient()).getIdElement().getIdPart();

        assertThat(store.expunge(Patient.class, id)).isEqualTo(2);
        assertThat(store.expunge(Patient.class, id)).isZero();

        assertThat(store.read(Patient.class, id)).isEmpty();
        assertThat(store.read(Patient.class, id, "1")).isEmpty();
        assertThat(store.search(Patient.class, p -> true)).extracting(p -> p.getIdElement().getIdPart())
                .containsExactly(kept);
    }

    @Test
    void save_ofAnUnsupportedType_failsNamingTheSupportedOnes() {
        InMemoryFhirStore store = new InMemoryFhirStore();

        assertThatThrownBy(() -> store.save(new Claim()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("TB-EMBED-FHIR-003 resource type Claim")
                .hasMessageContaining("Observation");
    }

    @Test
    void save_withAnIdThatIsNotAFhirId_fails() {
        InMemoryFhirStore store = new InMemoryFhirStore();

        assertThatThrownBy(() -> store.save(new Patient().setId("has space")))
                .hasMessageStartingWith("TB-EMBED-FHIR-002 Patient id 'has space' is not a FHIR id");
    }

    @Test
    void search_sortsByLastUpdatedThenId_notByInsertionOfIds() {
        InMemoryFhirStore store = new InMemoryFhirStore();
        store.save(new Patient().setId("b"));
        store.save(new Patient().setId("a"));
        store.save(new Patient().setId("b"));

        assertThat(store.search(Patient.class, p -> true)).extracting(p -> p.getIdElement().getIdPart())
                .containsExactly("a", "b");
    }

    @Test
    void concurrentSaves_allGetDistinctStamps() throws Exception {
        InMemoryFhirStore store = new InMemoryFhirStore();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < 250; i++) {
                    store.save(new Observation());
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        assertThat(store.search(Observation.class, o -> true)).hasSize(1000)
                .extracting(o -> o.getMeta().getLastUpdated()).doesNotHaveDuplicates();
    }

    @Test
    void toString_printsCountsOnly() {
        InMemoryFhirStore store = new InMemoryFhirStore();
        store.save(new Patient().addName(new HumanName().setFamily("Kreiger")));

        assertThat(store.toString()).isEqualTo("InMemoryFhirStore{Patient=1}");
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
