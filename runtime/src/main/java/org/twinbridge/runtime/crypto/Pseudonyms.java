package org.twinbridge.runtime.crypto;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keyed, domain-separated pseudonyms. Each domain (for example {@code recipient|news2-twin}) has its own
 * HMAC-SHA256 key, derived from the root key with HKDF-SHA256 (info {@code twinbridge/<purpose>/v1|<domain>}),
 * so the same value gets the same pseudonym within a domain (one plugin can follow its subjects over time) and
 * unrelated pseudonyms across domains (two plugins cannot link theirs, and learning one domain's key reveals
 * nothing about another's). Thread-safe. {@link #toString()} names the root key id only.
 */
public final class Pseudonyms {

    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final int MAX_CACHED_DOMAINS = 10_000;
    private final KeyId rootId;
    private final byte[] root;
    private final String purpose;
    private final Map<String, byte[]> domainKeys = new ConcurrentHashMap<>();

    Pseudonyms(KeyId rootId, byte[] root, String purpose) {
        this.rootId = rootId;
        this.root = root.clone();
        this.purpose = purpose;
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
        return HexFormat.of().formatHex(mac(domain, value));
    }

    private byte[] mac(String domain, String value) {
        return Crypto.hmacSha256(domainKey(domain), value.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] domainKey(String domain) {
        byte[] key = domainKeys.get(domain);
        if (key == null) {
            key = Crypto.hkdfSha256(root, ("twinbridge/" + purpose + "/v1|" + domain).getBytes(StandardCharsets.UTF_8),
                    32);
            if (domainKeys.size() < MAX_CACHED_DOMAINS) {
                domainKeys.put(domain, key);
            }
        }
        return key;
    }

    @Override
    public String toString() {
        return "Pseudonyms[HMAC-SHA256, per-domain keys from " + rootId + "]";
    }
}
