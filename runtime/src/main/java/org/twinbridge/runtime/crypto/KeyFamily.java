package org.twinbridge.runtime.crypto;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of key a node keystore holds. Each key is one version of a family, stored under the alias
 * {@code <family>-v<version>} (for example {@code kek-v2}); the highest version is the current one.
 */
public enum KeyFamily {

    /** AES-256 key-encryption key: wraps every per-patient and per-plugin data key. */
    KEK("kek", "AES-256 key-encryption key (wraps the data keys)", true),
    /** HMAC-SHA256 root; each recipient's pseudonym key is derived from it with HKDF-SHA256. */
    PSEUDONYM("pseudonym", "HMAC-SHA256 root for per-recipient pseudonym keys (HKDF-SHA256)", false),
    /** HMAC-SHA256 root for the keyed hashes of patient identifiers in the patient index. */
    LINK("link", "HMAC-SHA256 root for patient-index identifier hashes (HKDF-SHA256)", false),
    /** Ed25519 key that signs audit checkpoints; its self-signed certificate carries the public key. */
    AUDIT_SIGNING("audit-signing", "Ed25519 audit checkpoint signing key", true),
    /** ECDSA P-256 key and self-signed X.509 certificate naming the node, for federation. */
    NODE_IDENTITY("node-identity", "ECDSA P-256 node identity key with a self-signed X.509 certificate", true);

    private final String alias;
    private final String description;
    private final boolean rotatable;

    KeyFamily(String alias, String description, boolean rotatable) {
        this.alias = alias;
        this.description = description;
        this.rotatable = rotatable;
    }

    /** The alias prefix, also the name the CLI accepts ({@code --key kek}). */
    public String alias() {
        return alias;
    }

    public String description() {
        return description;
    }

    /**
     * Whether {@code keys rotate} may add a version. Pseudonym and link roots may not: a new version would give
     * every subject a new pseudonym (breaking each twin's continuity) or orphan the patient index, whose
     * identifiers are stored only as hashes.
     */
    public boolean rotatable() {
        return rotatable;
    }

    public static Optional<KeyFamily> byAlias(String alias) {
        return Arrays.stream(values()).filter(f -> f.alias.equals(alias)).findFirst();
    }
}
