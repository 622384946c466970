package org.twinbridge.runtime.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM under one key, for data at rest. Each ciphertext is bound to what it belongs to (its associated
 * data, e.g. the record id), so a ciphertext moved to another row fails to decrypt instead of yielding the
 * wrong patient's data. Layout: {@code version(1) | nonce(12) | ciphertext+tag}, with a random nonce per
 * message. Instances come from {@link DataKeys} (one data key each) and print their key id only.
 * Thread-safe.
 */
public final class RecordCipher {

    private static final byte FORMAT_V1 = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private final String keyId;
    private final SecretKey key;

    RecordCipher(String keyId, SecretKey key) {
        this.keyId = keyId;
        this.key = key;
    }

    /** The id of the key new ciphertexts are made with; stored next to each ciphertext. */
    public String keyId() {
        return keyId;
    }

    /** Encrypts with a fresh random nonce, binding the ciphertext to {@code associatedData}. */
    public byte[] encrypt(byte[] plaintext, String associatedData) {
        byte[] nonce = Crypto.randomBytes(NONCE_BYTES);
        try {
            Cipher cipher = Crypto.aesGcm();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            // Sealed straight into the stored layout: no second copy of the ciphertext (it showed at 64 KiB).
            byte[] out = new byte[1 + NONCE_BYTES + cipher.getOutputSize(plaintext.length)];
            out[0] = FORMAT_V1;
            System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
            int written = cipher.doFinal(plaintext, 0, plaintext.length, out, 1 + NONCE_BYTES);
            return written == out.length - 1 - NONCE_BYTES ? out : java.util.Arrays.copyOf(out, 1 + NONCE_BYTES + written);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TB-CRYPTO-001 AES-GCM encryption failed", e);
        }
    }

    /**
     * Decrypts and authenticates.
     *
     * @throws TamperedDataException if the data was altered or belongs to other associated data
     */
    public byte[] decrypt(byte[] stored, String associatedData) {
        if (stored.length < 1 + NONCE_BYTES + TAG_BITS / 8 || stored[0] != FORMAT_V1) {
            throw new TamperedDataException("TB-CRYPTO-002 ciphertext has an unknown format or is truncated");
        }
        try {
            Cipher cipher = Crypto.aesGcm();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 1, NONCE_BYTES));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(stored, 1 + NONCE_BYTES, stored.length - 1 - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new TamperedDataException("TB-CRYPTO-003 ciphertext failed authentication (altered, or moved "
                    + "from another record)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TB-CRYPTO-004 AES-GCM decryption failed", e);
        }
    }

    /**
     * The raw key. The one way key material leaves a cipher; package-private, for the test that proves no key
     * material reaches logs, output or exceptions.
     */
    byte[] revealKeyMaterial() {
        return key.getEncoded();
    }

    @Override
    public String toString() {
        return "RecordCipher[AES-256-GCM, key=" + keyId + "]";
    }

    /** Stored data failed authentication. */
    public static final class TamperedDataException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TamperedDataException(String message) {
            super(message);
        }
    }
}
