package org.twinbridge.sdk;

import org.pf4j.ExtensionPoint;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.PluginManifest;

/**
 * A digital-twin model: the extension point every twin plugin implements (annotate the class with
 * {@code @org.pf4j.Extension}).
 *
 * <p><b>Contract.</b> The node calls {@link #onRecord} once per record that policy and consent allow this
 * plugin to see, in journal order, from a single thread per plugin; an instance is never called
 * concurrently. Everything the call writes to {@link TwinContext#state()} and everything it emits commits
 * atomically with the plugin's delivery cursor: if the call throws, none of it is kept and the record is
 * treated as failed (it is never half-applied). After a restart delivery resumes after the last committed
 * record, so a plugin sees each record exactly once in effect.
 *
 * <p>Implementations must not keep patient data outside the state store: erasure relies on it.
 */
public interface TwinModel extends ExtensionPoint {

    /** What this plugin is and what data it asks for. Must be constant for the life of the instance. */
    PluginManifest manifest();

    /**
     * Updates the twin with one authorised record.
     *
     * @param record  the record as this plugin is allowed to see it; never null
     * @param context state store and output channel bound to this delivery's transaction; never null
     * @throws Exception any failure; the delivery is rolled back and reported, without the record's content
     */
    void onRecord(AuthorisedRecord record, TwinContext context) throws Exception;

    /**
     * Forgets a subject, after consent withdrawal or erasure. The node also drops the subject's state-store
     * entries; implement this to clear anything derived that is held elsewhere (caches, in-memory models).
     *
     * @param subject the subject pseudonym, in this plugin's key domain
     * @param context bound to the erasure's transaction
     */
    void onErase(String subject, TwinContext context) throws Exception;
}
