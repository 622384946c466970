package org.twinbridge.connector.hl7v2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** An acknowledgement (or batch of them) as the sender sees it, read with the delimiters it declares. */
final class AckView {

    private final List<String> segments;
    private final String fieldSeparator;

    private AckView(String text) {
        this.segments = Arrays.stream(text.split("\r")).filter(s -> !s.isEmpty()).toList();
        String header = segments.isEmpty() ? "MSH|" : segments.get(0);
        this.fieldSeparator = header.length() > 3 ? header.substring(3, 4) : "|";
    }

    static AckView of(String text) {
        return new AckView(text);
    }

    List<String> segments() {
        return segments;
    }

    /** The segments with this name, in order. */
    List<String> all(String name) {
        return segments.stream().filter(s -> s.startsWith(name + fieldSeparator)).toList();
    }

    /** Field n of the first segment with this name. */
    String field(String segment, int n) {
        return field(all(segment).get(0), segment, n);
    }

    private String field(String line, String segment, int n) {
        String[] parts = line.split(Pattern.quote(fieldSeparator), -1);
        // In MSH, FHS and BHS the field separator itself is field 1.
        int index = segment.equals("MSH") || segment.equals("FHS") || segment.equals("BHS") ? n - 1 : n;
        return index < parts.length ? parts[index] : "";
    }

    /** MSA-1 of every acknowledgement, in order. */
    List<String> codes() {
        List<String> codes = new ArrayList<>();
        for (String msa : all("MSA")) {
            codes.add(field(msa, "MSA", 1));
        }
        return codes;
    }

    /** MSA-1 of the only acknowledgement. */
    String code() {
        List<String> codes = codes();
        if (codes.size() != 1) {
            throw new AssertionError("expected one MSA, found " + codes.size() + " in " + segments);
        }
        return codes.get(0);
    }

    /** MSA-2: the control id acknowledged. */
    String acknowledgedId() {
        return field("MSA", 2);
    }

    /** The ERR segment's text (all of it), or "" without one. */
    String err() {
        return String.join("\n", all("ERR"));
    }

    @Override
    public String toString() {
        return String.join("\n", segments);
    }
}
