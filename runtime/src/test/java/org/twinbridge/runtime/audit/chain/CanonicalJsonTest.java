package org.twinbridge.runtime.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The canonical rendering the audit chain hashes. Its bytes must never change, or chains written before the change
 * would no longer verify: these cases pin them, escapes included (the fast path for values that need none must
 * give the same bytes as escaping character by character).
 */
class CanonicalJsonTest {

    @Test
    void object_sortsKeys_leavesOutNulls_andEscapesOnlyQuotesBackslashesAndControlCharacters() {
        Map<String, String> values = new HashMap<>();
        values.put("plugin", "news2-twin");
        values.put("a", "say \"hi\"\\now");
        values.put("tab", "x\ty\u0001");
        values.put("gone", null);
        values.put("unicode", "Zoë → ünïcode/é");
        values.put("end", "trailing\\");

        assertThat(CanonicalJson.object(values)).isEqualTo("{\"a\":\"say \\\"hi\\\"\\\\now\",\"end\":\"trailing\\\\\","
                + "\"plugin\":\"news2-twin\",\"tab\":\"x\\u0009y\\u0001\",\"unicode\":\"Zoë → ünïcode/é\"}");
    }

    @Test
    void object_withRawValues_insertsThemAsTheyAre() {
        assertThat(CanonicalJson.object(Map.of("b", "q\"", "c", ""), Map.of("a", "{\"x\":\"1\"}")))
                .isEqualTo("{\"a\":{\"x\":\"1\"},\"b\":\"q\\\"\",\"c\":\"\"}");
    }
}
