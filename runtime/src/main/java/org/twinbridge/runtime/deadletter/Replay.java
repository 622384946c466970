package org.twinbridge.runtime.deadletter;

/** What replaying a parked delivery did; see {@code Dispatcher.replay}. */
public sealed interface Replay {

    /** Delivered, with the receipt id of its decision. The parked row is marked replayed. */
    record Delivered(String receiptId) implements Replay {
    }

    /** The decision or consent, as of now, denies it: not delivered, logged, and the parked row is resolved. */
    record Denied(String reason) implements Replay {
    }

    /** The plugin's manifest no longer asks for this kind of record; the parked row is resolved. */
    record NotRequested() implements Replay {
    }

    /** The record no longer exists (its patient was erased); the parked row is resolved. */
    record RecordGone() implements Replay {
    }

    /** The plugin threw again: nothing committed, and the record stays parked with one attempt more. */
    record FailedAgain(DeliveryFailure failure) implements Replay {
    }

    /** No parked row by that id for that plugin (unknown, another plugin's, or already replayed or dropped). */
    record NotParked() implements Replay {
    }
}
