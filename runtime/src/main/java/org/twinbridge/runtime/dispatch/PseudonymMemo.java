package org.twinbridge.runtime.dispatch;

import java.util.HashMap;
import java.util.Map;
import org.twinbridge.runtime.crypto.Pseudonyms;

/**
 * The node's pseudonyms, each computed once per dispatch group: a group's records mostly name the same few
 * patients, encounters and practitioners, and each name cost an HMAC per record and plugin. Pseudonyms are a pure
 * function of domain and value, so a remembered one is exactly the one computed again. Not thread-safe; one per
 * group, discarded with it (so no pseudonym outlives the group on the heap).
 */
final class PseudonymMemo {

    private final Pseudonyms pseudonyms;
    private final Map<String, String> of = new HashMap<>();
    private final Map<String, String> hash = new HashMap<>();

    PseudonymMemo(Pseudonyms pseudonyms) {
        this.pseudonyms = pseudonyms;
    }

    /** {@link Pseudonyms#of}. */
    String of(String domain, String value) {
        return of.computeIfAbsent(domain + '\u0000' + value, k -> pseudonyms.of(domain, value));
    }

    /** {@link Pseudonyms#hash}. */
    String hash(String domain, String value) {
        return hash.computeIfAbsent(domain + '\u0000' + value, k -> pseudonyms.hash(domain, value));
    }
}
