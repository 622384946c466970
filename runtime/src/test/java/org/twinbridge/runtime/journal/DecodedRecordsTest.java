package org.twinbridge.runtime.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.twinbridge.policy.model.SensitivityLabels;

/** Read once, fan out: a row is decoded once for every reader, each reader gets its own copy, and only an unchanged row is served. */
class DecodedRecordsTest {

    private static final byte[] CIPHERTEXT = {1, 2, 3, 4};
    private final AtomicInteger decodes = new AtomicInteger();
    private final SensitivityLabels labels = SensitivityLabels.none();

    private DecodedRecords.Decoder decoder() {
        return () -> {
            decodes.incrementAndGet();
            Observation o = new Observation();
            o.setId("obs-1");
            o.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
            return o;
        };
    }

    @Test
    void copyOf_secondReader_isNotDecodedAgain_andGetsItsOwnCopy() throws Exception {
        DecodedRecords shared = new DecodedRecords(16);
        Resource first = shared.copyOf(7, "rec-7", "key-1", CIPHERTEXT.clone(), labels, decoder());
        Resource second = shared.copyOf(7, "rec-7", "key-1", CIPHERTEXT.clone(), labels, decoder());

        assertThat(decodes).hasValue(1);
        assertThat(second).isNotSameAs(first);
        assertThat(second.equalsDeep(first)).isTrue();
        // One reader changing its copy changes nobody else's.
        ((Observation) first).getCode().getCodingFirstRep().setCode("changed");
        Resource third = shared.copyOf(7, "rec-7", "key-1", CIPHERTEXT.clone(), labels, decoder());
        assertThat(((Observation) third).getCode().getCodingFirstRep().getCode()).isEqualTo("8867-4");
    }

    @Test
    void copyOf_aChangedRow_isDecodedAgain() throws Exception {
        DecodedRecords shared = new DecodedRecords(16);
        shared.copyOf(7, "rec-7", "key-1", CIPHERTEXT, labels, decoder());

        shared.copyOf(7, "rec-7", "key-1", new byte[] {1, 2, 3, 5}, labels, decoder()); // edited ciphertext
        shared.copyOf(7, "rec-7", "key-2", new byte[] {1, 2, 3, 5}, labels, decoder()); // another key id
        shared.copyOf(7, "rec-8", "key-2", new byte[] {1, 2, 3, 5}, labels, decoder()); // another record id
        shared.copyOf(7, "rec-8", "key-2", new byte[] {1, 2, 3, 5},
                new SensitivityLabels(List.of(new SensitivityLabels.Entry("PSY", "http://loinc.org", "8867-4", false))),
                decoder()); // other code lists

        assertThat(decodes).hasValue(5);
    }

    @Test
    void copyOf_beyondCapacity_dropsTheOldestPositions() throws Exception {
        DecodedRecords shared = new DecodedRecords(2);
        shared.copyOf(1, "rec-1", "key-1", CIPHERTEXT, labels, decoder());
        shared.copyOf(2, "rec-2", "key-1", CIPHERTEXT, labels, decoder());
        shared.copyOf(3, "rec-3", "key-1", CIPHERTEXT, labels, decoder());

        shared.copyOf(3, "rec-3", "key-1", CIPHERTEXT, labels, decoder());
        assertThat(decodes).hasValue(3);
        shared.copyOf(1, "rec-1", "key-1", CIPHERTEXT, labels, decoder());
        assertThat(decodes).hasValue(4);
    }
}
