package org.twinbridge.runtime.crypto;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Map;
import java.util.Set;

/** Signs audit checkpoints with one version of the node's Ed25519 audit-signing key. Thread-safe. */
public final class AuditSigner {

    private final KeyId keyId;
    private final PrivateKey key;

    AuditSigner(KeyId keyId, PrivateKey key) {
        this.keyId = keyId;
        this.key = key;
    }

    /** The id recorded with each signature, so a verifier picks the right public key. */
    public String keyId() {
        return keyId.toString();
    }

    /** An Ed25519 signature over the bytes. */
    public byte[] sign(byte[] data) {
        try {
            Signature signature = Signature.getInstance("Ed25519", Crypto.bc());
            signature.initSign(key);
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TB-CRYPTO-020 Ed25519 signing failed (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    @Override
    public String toString() {
        return "AuditSigner[Ed25519, " + keyId + "]";
    }

    /** Verifies signatures by any audit-signing key version the keystore holds (public keys only). */
    public static final class Verifier {

        private final Map<String, PublicKey> keys;

        Verifier(Map<String, PublicKey> keys) {
            this.keys = Map.copyOf(keys);
        }

        /** The key ids this verifier knows. */
        public Set<String> keyIds() {
            return keys.keySet();
        }

        /** True if {@code signature} is a valid Ed25519 signature by key {@code keyId} over the bytes. */
        public boolean verify(String keyId, byte[] data, byte[] signature) {
            PublicKey key = keys.get(keyId);
            if (key == null) {
                return false;
            }
            try {
                Signature verifier = Signature.getInstance("Ed25519", Crypto.bc());
                verifier.initVerify(key);
                verifier.update(data);
                return verifier.verify(signature);
            } catch (GeneralSecurityException e) {
                return false;
            }
        }

        @Override
        public String toString() {
            return "AuditSigner.Verifier" + keys.keySet();
        }
    }
}
