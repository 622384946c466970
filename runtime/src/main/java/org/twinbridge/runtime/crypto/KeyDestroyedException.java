package org.twinbridge.runtime.crypto;

/**
 * The data key needed to decrypt something was destroyed (crypto-shredded), or never existed. The data is
 * unreadable by design. Carries the key id only.
 */
public final class KeyDestroyedException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final String keyId;

    KeyDestroyedException(String keyId, String message) {
        super(message);
        this.keyId = keyId;
    }

    public String keyId() {
        return keyId;
    }
}
