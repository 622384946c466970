package org.twinbridge.plugin.tumour;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The plain-text form of {@link TumourState}: a header naming the format and version, then one line per
 * entry ({@code m TIME SIZE SITE}, {@code a TIME DRUG DOSE}, {@code p FINGERPRINT}). The site is last because
 * it may hold spaces. A value that cannot be read reads as empty: the twin starts again rather than failing
 * every later delivery.
 */
final class TumourStateText {

    static final String HEADER = "tumour-twin 1";

    private TumourStateText() {
    }

    static String encode(TumourState state) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        state.measurements().forEach(m -> out.append("m ").append(m.at()).append(' ').append(m.sizeMm())
                .append(' ').append(m.site()).append('\n'));
        state.administrations().forEach(a -> out.append("a ").append(a.at()).append(' ').append(a.drug())
                .append(' ').append(a.dose()).append('\n'));
        if (!state.projectedFrom().isEmpty()) {
            out.append("p ").append(state.projectedFrom()).append('\n');
        }
        return out.toString();
    }

    static Optional<TumourState> decode(String text) {
        String[] lines = text.split("\n");
        if (lines.length == 0 || !lines[0].equals(HEADER)) {
            return Optional.empty();
        }
        List<TumourState.Measured> measurements = new ArrayList<>();
        List<TumourState.Given> given = new ArrayList<>();
        String projected = "";
        try {
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                String[] f = lines[i].split(" ", 4);
                switch (f[0]) {
                    case "m":
                        measurements.add(new TumourState.Measured(Instant.parse(f[1]), f[3],
                                Double.parseDouble(f[2])));
                        break;
                    case "a":
                        given.add(new TumourState.Given(Instant.parse(f[1]), f[2], Double.parseDouble(f[3])));
                        break;
                    case "p":
                        projected = f[1];
                        break;
                    default:
                        return Optional.empty();
                }
            }
        } catch (DateTimeParseException | IllegalArgumentException | ArrayIndexOutOfBoundsException unreadable) {
            return Optional.empty();
        }
        return Optional.of(new TumourState(measurements, given, projected));
    }
}
