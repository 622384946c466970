package org.twinbridge.runtime.dispatch;

import java.sql.SQLException;
import java.util.List;

/**
 * A patient's twin outputs, for the clinician's view. Plugins know the patient only by a per-plugin pseudonym;
 * this maps the patient key to it, which re-identifies, so callers audit every read.
 */
public interface TwinOutputs {

    /** The plugin's newest outputs about the patient, newest first, at most {@code limit}. */
    List<OutputTable.StoredOutput> latestFor(String pluginId, String patientKey, int limit) throws SQLException;
}
