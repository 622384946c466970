package org.twinbridge.federation.wire;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A federated task as the coordinator signs it.
 *
 * @param taskId     unique per task, chosen by the coordinator
 * @param requester  the coordinator's site name; a site checks it against the signer's certificate
 * @param plugin     the aggregate plugin to run, by id
 * @param purpose    HL7 v3 PurposeOfUse, for example {@code HRESCH}
 * @param parameters for the plugin; names and values of at most 80 characters
 * @param nonce      random, never reused: a site refuses a nonce it has seen
 * @param issuedAt   when the coordinator signed it
 * @param expiresAt  after this a site refuses it
 */
public record TaskRequest(String taskId, String requester, String plugin, String purpose,
        Map<String, String> parameters, String nonce, Instant issuedAt, Instant expiresAt) {

    public TaskRequest {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(plugin, "plugin");
        Objects.requireNonNull(purpose, "purpose");
        parameters = Map.copyOf(new TreeMap<>(parameters));
        if (parameters.entrySet().stream().anyMatch(e -> e.getKey().length() > 80 || e.getValue().length() > 80)) {
            throw new IllegalArgumentException("TB-FED-018 task parameters have names and values of at most 80 "
                    + "characters");
        }
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
