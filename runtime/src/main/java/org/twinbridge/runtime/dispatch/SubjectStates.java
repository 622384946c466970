package org.twinbridge.runtime.dispatch;

import java.util.Map;

/**
 * A state store that can list one subject's values: what an isolated plugin's proxy sends to the plugin process
 * with each batch, since the process holds no state of its own between batches.
 */
public interface SubjectStates {

    /** Every key and value stored for the subject, decrypted; reads see this transaction's own writes. */
    Map<String, String> snapshot(String subject);

    /**
     * The plugin-wide subjects: those named {@code <plugin id>.<name>}, which hold state about no patient (a ward
     * twin's census, say). They go to the plugin process with every batch, beside the batch's own subjects.
     */
    java.util.List<String> pluginWideSubjects();
}
