package org.twinbridge.consent.jdbc;

/**
 * Authenticated encryption for consent payloads at rest, supplied by the node (its record cipher). Each
 * ciphertext is bound to its associated data, so a payload copied to another row fails to open.
 * Implementations are thread-safe.
 */
public interface PayloadCipher {

    /** Encrypts and binds to {@code associatedData}. */
    byte[] seal(byte[] plaintext, String associatedData);

    /**
     * Decrypts and authenticates.
     *
     * @throws RuntimeException if the payload was altered or belongs to other associated data
     */
    byte[] open(byte[] sealed, String associatedData);

    /** The id of the key new payloads are sealed with; stored next to each payload. */
    String keyId();
}
