package org.twinbridge.runtime.crypto.rotation;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.twinbridge.runtime.crypto.KeyId;
import org.twinbridge.runtime.crypto.KeyInfo;

/**
 * The node's keys as {@code twinbridge keys} sees them: which versions exist, which KEK wraps how many data keys,
 * re-wrapping after a rotation and retiring an old KEK. No key material passes through it.
 */
public interface KeyAdmin {

    /** Every key version in the keystore, metadata only. */
    List<KeyInfo> keys();

    /** Live data keys per KEK version that wraps them. */
    Map<String, Long> liveKeysByKek() throws SQLException;

    /** Destroyed (crypto-shredded) data keys per KEK version that last wrapped them. */
    Map<String, Long> destroyedKeysByKek() throws SQLException;

    /** The re-wrap of data keys under the current KEK. */
    KeyRewrap rewrap();

    /**
     * Deletes an old KEK version from the keystore once no live data key is wrapped by it, and audits it as
     * {@code keys.retire} by {@code actor}.
     *
     * @return how many destroyed data keys last wrapped by it are now finally unreadable
     */
    long retire(KeyId kek, char[] keystorePassword, String actor) throws Exception;
}
