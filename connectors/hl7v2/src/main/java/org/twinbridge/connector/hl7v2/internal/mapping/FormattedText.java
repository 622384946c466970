package org.twinbridge.connector.hl7v2.internal.mapping;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what the parser leaves of HL7 formatting into plain text. HAPI unescapes the delimiter escapes
 * ({@code \F\ \S\ \T\ \R\ \E\}) but keeps formatting commands and hex data: {@code \.br\} and {@code \.sp\}
 * become line breaks, {@code \Xhh..\} becomes its characters (UTF-8, CR LF as a line break), and highlighting
 * and indentation commands ({@code \H\ \N\ \.in\ \.ti\ \.ce\ \.sk\ \.fi\ \.nf\}) are dropped.
 */
final class FormattedText {

    private FormattedText() {
    }

    static String plain(String text, char escape) {
        if (text.indexOf(escape) < 0) {
            return text;
        }
        String e = Pattern.quote(String.valueOf(escape));
        Pattern command = Pattern.compile(e + "(\\.br|\\.sp[+-]?\\d*|\\.(?:in|ti)[+-]?\\d*|\\.sk[+-]?\\d*|\\.ce|\\.fi"
                + "|\\.nf|H|N|X([0-9A-Fa-f]{2,}))" + e);
        Matcher m = command.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement;
            if (name.equals(".br") || name.startsWith(".sp")) {
                replacement = "\n";
            } else if (m.group(2) != null && m.group(2).length() % 2 == 0) {
                replacement = new String(HexFormat.of().parseHex(m.group(2)), StandardCharsets.UTF_8)
                        .replace("\r\n", "\n").replace('\r', '\n');
            } else {
                replacement = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
