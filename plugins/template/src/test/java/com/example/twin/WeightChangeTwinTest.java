package com.example.twin;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.Test;
import org.twinbridge.sdk.StateStore;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.TwinOutput;

class WeightChangeTwinTest {

    private final WeightChangeTwin twin = new WeightChangeTwin();
    private final FakeContext context = new FakeContext();

    @Test
    void secondWeight_emitsTheChangeSinceTheFirst() {
        twin.onRecord(weight("81.0", "kg"), context);
        assertThat(context.outputs).isEmpty();

        twin.onRecord(weight("79500", "g"), context);

        assertThat(context.outputs).singleElement().satisfies(output -> {
            Observation change = (Observation) output.resource();
            assertThat(change.getValueQuantity().getValue()).isEqualByComparingTo("-1.5");
            assertThat(change.getSubject().getReference()).isEqualTo("Patient/pseudo-1");
            assertThat(output.summary()).isEqualTo("Weight down since first weight");
        });
        assertThat(twin.manifest().id()).isEqualTo(WeightChangeTwin.ID);
    }

    private static AuthorisedRecord weight(String value, String unit) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.setCode(new CodeableConcept(new Coding("http://loinc.org", "29463-7", "Body weight")));
        observation.setValue(new Quantity().setValue(new BigDecimal(value)).setSystem("http://unitsofmeasure.org")
                .setCode(unit));
        return new AuthorisedRecord("pseudo-1", observation, "vital-signs", Optional.of(Instant.now()), "receipt",
                "policy");
    }

    /** What the node gives a plugin, in memory: a state store and an output list. */
    private static final class FakeContext implements TwinContext, StateStore {

        final Map<String, String> state = new HashMap<>();
        final List<TwinOutput> outputs = new ArrayList<>();

        @Override
        public String pluginId() {
            return WeightChangeTwin.ID;
        }

        @Override
        public StateStore state() {
            return this;
        }

        @Override
        public void emit(TwinOutput output) {
            outputs.add(output);
        }

        @Override
        public Instant now() {
            return Instant.parse("2025-03-01T12:00:00Z");
        }

        @Override
        public Optional<String> get(String subject, String key) {
            return Optional.ofNullable(state.get(subject + "/" + key));
        }

        @Override
        public void put(String subject, String key, String value) {
            state.put(subject + "/" + key, value);
        }

        @Override
        public void delete(String subject, String key) {
            state.remove(subject + "/" + key);
        }
    }
}
