package org.twinbridge.runtime.dispatch;

import java.time.Instant;
import java.util.List;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.model.AuthorisedRecord;

/**
 * A plugin model that takes many records in one call: a plugin in a process of its own, for which every call is a
 * round trip across the process boundary. The dispatcher hands it a group's permitted records together and
 * applies each record's outcome to that record's own context, so outcomes are staged, fail, are retried and are
 * parked record by record, exactly as single deliveries are.
 */
public interface BatchModel {

    /**
     * Runs {@code records} in order, in one exchange; each sees {@code state} plus what the earlier records of the
     * call wrote, and a record's writes count only if it returned normally.
     *
     * @param state the plugin's state as staged so far, read for the records' subjects and the plugin-wide ones
     * @return one outcome per record, in order, up to and including the first that failed
     * @throws IsolatedPluginFailure if the exchange as a whole failed (the process crashed, hung, outgrew its
     *                               memory or broke the protocol); that blames no one record of several
     */
    List<Outcome> onRecords(List<AuthorisedRecord> records, SubjectStates state, Instant now);

    /** What the plugin made of one record. */
    @FunctionalInterface
    interface Outcome {

        /**
         * Applies the record's state writes and outputs to its context.
         *
         * @throws IsolatedPluginFailure if the plugin failed on the record, or its answer is invalid
         */
        void applyTo(TwinContext context);
    }
}
