package org.twinbridge.runtime.crypto;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known about one key version, without its material: safe to print, log and audit.
 *
 * @param current     whether new data uses this version (the highest of its family)
 * @param certificate for keys with a certificate: its subject, SHA-256 fingerprint and expiry
 */
public record KeyInfo(KeyId id, String algorithm, Instant created, boolean current,
        Optional<String> certificate) {

    public KeyInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(certificate, "certificate");
    }
}
