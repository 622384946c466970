package org.twinbridge.sdk.testing;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.twinbridge.sdk.model.TwinOutput;

/**
 * What happened to one input record in a harness run, in the order the records were fed.
 *
 * @param input        the record's position in the input list (0-based), before ordering by effective time
 * @param resourceType the record's FHIR type
 * @param outcome      whether the plugin received it
 * @param reason       why, for a record that was not delivered (the policy's reason, the exception type of a
 *                     failed delivery); empty when delivered
 * @param subject      the subject pseudonym the plugin knows the patient by, for a record that reached the
 *                     decision
 * @param outputs      what the plugin emitted for this record (committed: empty for a failed delivery)
 */
public record Delivery(int input, String resourceType, Outcome outcome, Optional<String> reason,
        Optional<String> subject, List<TwinOutput> outputs) {

    public Delivery {
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(subject, "subject");
        outputs = List.copyOf(outputs);
    }

    /** The fate of one record, with the same meaning as in the node's decision log. */
    public enum Outcome {
        /** The plugin received it and returned normally; its state writes and outputs were kept. */
        DELIVERED,
        /** Policy or consent refused it, or it names no patient. */
        DENIED,
        /** The manifest does not ask for this kind of record, so it was never offered. */
        NOT_REQUESTED,
        /** The plugin threw; nothing it wrote or emitted for this record was kept. */
        FAILED
    }
}
