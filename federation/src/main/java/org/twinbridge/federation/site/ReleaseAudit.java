package org.twinbridge.federation.site;

import java.util.Map;

/**
 * Where a site writes what it decided about each federated task: released (and what left, with its hash),
 * declined, failed, or refused before the task was read (an untrusted peer, a bad signature, a replay). A node
 * backs it with its hash-chained audit trail. Implementations are thread-safe and never hold PHI.
 */
@FunctionalInterface
public interface ReleaseAudit {

    /** Event kinds. */
    String RELEASE = "federation.release";
    String DECLINE = "federation.decline";
    String FAIL = "federation.fail";
    String REFUSE = "federation.refuse";

    /**
     * Records one event.
     *
     * @param kind    one of the constants above
     * @param actor   the requesting site as {@code site:<name>}, or {@code peer:unknown}
     * @param details facts without PHI: task id, plugin, purpose, code, reason, release hash, the released table
     * @return where it was recorded, for example {@code audit #42}, so the coordinator can tell the operator
     * @throws Exception if it could not be recorded; the site then releases nothing
     */
    String record(String kind, String actor, Map<String, String> details) throws Exception;
}
