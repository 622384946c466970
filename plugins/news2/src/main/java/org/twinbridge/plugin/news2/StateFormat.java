package org.twinbridge.plugin.news2;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plain-text form of the twin's per-subject state: one header line naming the format and version, then
 * one entry per line of space-separated fields. It is small enough to read by eye when debugging, and needs
 * no JSON library inside the plugin.
 *
 * <p>Decoding is lenient on purpose. A line it cannot read (or a whole value of another format version) is
 * skipped rather than failing the delivery: a failed delivery would be retried with the same state and fail
 * for ever, whereas a skipped vital sign is simply read again from the subject's next observation.
 */
final class StateFormat {

    static final String VITALS_HEADER = "news2-vitals 1";
    static final String SCORES_HEADER = "news2-scores 1";

    private static final String NO_TIME = "-";
    private static final String OXYGEN = "oxygen";
    private static final String AIR = "air";

    private StateFormat() {
    }

    static String encode(VitalSigns vitals) {
        StringBuilder out = new StringBuilder(VITALS_HEADER).append('\n');
        for (Parameter parameter : Parameter.values()) {
            vitals.reading(parameter).ifPresent(reading -> out.append(parameter.name()).append(' ')
                    .append(valueOf(reading)).append(' ')
                    .append(reading.effective().map(Instant::toString).orElse(NO_TIME)).append('\n'));
        }
        return out.toString();
    }

    static VitalSigns decodeVitals(String text) {
        List<String[]> lines = lines(text, VITALS_HEADER);
        Map<Parameter, VitalSignReading> readings = new EnumMap<>(Parameter.class);
        for (String[] fields : lines) {
            if (fields.length == 3) {
                readingOf(fields).ifPresent(reading -> readings.put(reading.parameter(), reading));
            }
        }
        return new VitalSigns(readings);
    }

    static String encode(ScoreHistory history) {
        StringBuilder out = new StringBuilder(SCORES_HEADER).append('\n');
        for (ScoreHistory.Entry entry : history.entries()) {
            out.append(entry.at()).append(' ').append(entry.total()).append(' ')
                    .append(entry.band().code()).append('\n');
        }
        return out.toString();
    }

    static ScoreHistory decodeHistory(String text) {
        ScoreHistory history = ScoreHistory.EMPTY;
        for (String[] fields : lines(text, SCORES_HEADER)) {
            if (fields.length == 3) {
                try {
                    history = history.append(new ScoreHistory.Entry(
                            Instant.parse(fields[0]), Integer.parseInt(fields[1]), RiskBand.fromCode(fields[2])));
                } catch (DateTimeParseException | IllegalArgumentException unreadable) {
                    // skipped: see the class comment
                }
            }
        }
        return history;
    }

    private static String valueOf(VitalSignReading reading) {
        if (reading instanceof VitalSignReading.Measurement measurement) {
            return Double.toString(measurement.value());
        }
        if (reading instanceof VitalSignReading.OxygenSupply supply) {
            return supply.supplemental() ? OXYGEN : AIR;
        }
        return ((VitalSignReading.Level) reading).level().name();
    }

    private static Optional<VitalSignReading> readingOf(String[] fields) {
        try {
            Parameter parameter = Parameter.valueOf(fields[0]);
            Optional<Instant> effective =
                    NO_TIME.equals(fields[2]) ? Optional.empty() : Optional.of(Instant.parse(fields[2]));
            if (parameter == Parameter.AIR_OR_OXYGEN) {
                return switch (fields[1]) {
                    case OXYGEN -> Optional.of(new VitalSignReading.OxygenSupply(true, effective));
                    case AIR -> Optional.of(new VitalSignReading.OxygenSupply(false, effective));
                    default -> Optional.empty();
                };
            }
            if (parameter == Parameter.CONSCIOUSNESS) {
                return Optional.of(new VitalSignReading.Level(Consciousness.valueOf(fields[1]), effective));
            }
            return Optional.of(new VitalSignReading.Measurement(parameter, Double.parseDouble(fields[1]), effective));
        } catch (DateTimeParseException | IllegalArgumentException unreadable) {
            return Optional.empty(); // skipped: see the class comment
        }
    }

    private static List<String[]> lines(String text, String header) {
        String[] lines = text.split("\n");
        List<String[]> entries = new ArrayList<>();
        if (lines.length == 0 || !lines[0].equals(header)) {
            return entries;
        }
        for (int i = 1; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                entries.add(lines[i].trim().split(" "));
            }
        }
        return entries;
    }
}
