package org.twinbridge.runtime.consent;

import org.twinbridge.consent.jdbc.PayloadCipher;
import org.twinbridge.runtime.crypto.RecordCipher;

/** The node's record cipher, as the consent registry's payload cipher: consents are encrypted like records. */
public final class RecordCipherPayloads implements PayloadCipher {

    private final RecordCipher cipher;

    public RecordCipherPayloads(RecordCipher cipher) {
        this.cipher = cipher;
    }

    @Override
    public byte[] seal(byte[] plaintext, String associatedData) {
        return cipher.encrypt(plaintext, associatedData);
    }

    @Override
    public byte[] open(byte[] sealed, String associatedData) {
        return cipher.decrypt(sealed, associatedData);
    }

    @Override
    public String keyId() {
        return cipher.keyId();
    }

    @Override
    public String toString() {
        return "RecordCipherPayloads[" + cipher + "]";
    }
}
