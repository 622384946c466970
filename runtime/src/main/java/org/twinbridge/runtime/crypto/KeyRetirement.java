package org.twinbridge.runtime.crypto;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Removes an old KEK version from the keystore once no live data key depends on it. This is what makes
 * crypto-shredding final against database backups: a backup still holds the wrapped copy of a destroyed data
 * key, and only the retirement of the KEK that wrapped it makes that copy useless.
 */
public final class KeyRetirement {

    private KeyRetirement() {
    }

    /**
     * Retires {@code kek} after checking, in the node database, that no live data key is wrapped by it.
     *
     * @return how many destroyed data keys had last been wrapped by it (their erasure is now final)
     */
    public static long retire(Connection c, Path keystore, char[] password, KeyId kek)
            throws NodeKeys.KeyStoreFailure, SQLException {
        if (kek.family() != KeyFamily.KEK) {
            throw new NodeKeys.KeyStoreFailure("TB-KEYS-011", "only KEK versions can be retired, not " + kek
                    + " (old audit-signing keys verify old checkpoints; node identity keys are replaced by rotation)");
        }
        KeyStore store = NodeKeys.open(keystore, password);
        NodeKeys keys = NodeKeys.load(keystore, password);
        if (keys.info(kek) == null) {
            throw new NodeKeys.KeyStoreFailure("TB-KEYS-012", "keystore " + keystore + " holds no " + kek
                    + "; it holds " + keys.keyIds());
        }
        if (keys.current(KeyFamily.KEK).equals(kek)) {
            throw new NodeKeys.KeyStoreFailure("TB-KEYS-013", kek + " is the current KEK; rotate first "
                    + "('twinbridge keys rotate --key kek'), re-wrap, then retire the old version");
        }
        long live = DataKeys.liveKeysByKek(c).getOrDefault(kek.toString(), 0L);
        if (live > 0) {
            throw new NodeKeys.KeyStoreFailure("TB-KEYS-014", live + " live data key(s) are still wrapped by " + kek
                    + "; run 'twinbridge keys rewrap' (or let the node finish its background re-wrap) first");
        }
        try {
            store.deleteEntry(kek.toString());
            NodeKeys.write(store, keystore, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new NodeKeys.KeyStoreFailure("TB-KEYS-004", "cannot write keystore " + keystore + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        return DataKeys.destroyedKeysByKek(c).getOrDefault(kek.toString(), 0L);
    }
}
