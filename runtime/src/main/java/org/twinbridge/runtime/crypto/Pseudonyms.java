package org.twinbridge.runtime.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed, domain-separated pseudonyms: HMAC-SHA256(key, domain || 0x00 || value), base32-encoded. The same
 * value gets the same pseudonym within a domain (one plugin can follow its subjects over time) and unrelated
 * pseudonyms across domains (two plugins cannot link theirs). Thread-safe.
 */
public final class Pseudonyms {

    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private final SecretKey key;

    Pseudonyms(SecretKey key) {
        this.key = new SecretKeySpec(key.getEncoded(), "HmacSHA256");
    }

    /** A 26-character (130-bit) pseudonym for the value within the domain. */
    public String of(String domain, String value) {
        byte[] mac = mac(domain, value);
        StringBuilder out = new StringBuilder(26);
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < mac.length && out.length() < 26; i++) {
            buffer = (buffer << 8) | (mac[i] & 0xff);
            bits += 8;
            while (bits >= 5 && out.length() < 26) {
                out.append(BASE32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        return out.toString();
    }

    /** The full 64-hex-character keyed hash, for index lookups. */
    public String hash(String domain, String value) {
        return java.util.HexFormat.of().formatHex(mac(domain, value)).toLowerCase(Locale.ROOT);
    }

    private byte[] mac(String domain, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(domain.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TB-CRYPTO-004 HMAC-SHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "Pseudonyms[HMAC-SHA256]";
    }
}
