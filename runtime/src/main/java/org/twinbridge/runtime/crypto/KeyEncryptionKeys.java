package org.twinbridge.runtime.crypto;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.SecretKey;

/** Every KEK version in the keystore; new data keys are wrapped with the current one. */
final class KeyEncryptionKeys {

    private final Map<String, RecordCipher> byId = new TreeMap<>();
    private final RecordCipher current;

    KeyEncryptionKeys(Map<KeyId, SecretKey> keks, KeyId current) {
        keks.forEach((id, key) -> byId.put(id.toString(), new RecordCipher(id.toString(), key)));
        this.current = byId.get(current.toString());
    }

    RecordCipher current() {
        return current;
    }

    Optional<RecordCipher> byId(String kekId) {
        return Optional.ofNullable(byId.get(kekId));
    }

    @Override
    public String toString() {
        return "KeyEncryptionKeys[" + byId.keySet() + ", current=" + current.keyId() + "]";
    }
}
