package org.twinbridge.plugin.glucose;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The plain-text form of the CGM window: a summary value and one value per day, each a header line naming the
 * format and version, then space-separated fields. Small, readable by eye, and needs no JSON library.
 */
final class WindowText {

    static final String SUMMARY_HEADER = "glucose-cgm-summary 1";
    static final String DAY_HEADER = "glucose-cgm-day 1";

    private WindowText() {
    }

    /**
     * One reading within a day.
     *
     * @param millisOfDay milliseconds since the start of the UTC day
     * @param tenths      the value in tenths of a mg/dL
     */
    record Entry(long millisOfDay, int tenths) {
    }

    static String encode(CgmSummary summary) {
        StringBuilder out = new StringBuilder(SUMMARY_HEADER).append('\n');
        out.append("totals ").append(summary.readings()).append(' ').append(summary.sumTenths()).append(' ')
                .append(summary.sumSquares()).append(' ').append(summary.below54()).append(' ')
                .append(summary.below70()).append(' ').append(summary.above180()).append(' ')
                .append(summary.above250()).append('\n');
        summary.oldest().ifPresent(at -> out.append("oldest ").append(at).append('\n'));
        summary.newest().ifPresent(at -> out.append("newest ").append(at).append('\n'));
        out.append("days");
        summary.days().forEach(day -> out.append(' ').append(day));
        return out.append('\n').toString();
    }

    /** The summary, or empty if the text is not a summary of this version or is inconsistent. */
    static Optional<CgmSummary> decodeSummary(String text) {
        String[] lines = text.split("\n");
        if (lines.length == 0 || !lines[0].equals(SUMMARY_HEADER)) {
            return Optional.empty();
        }
        try {
            long[] totals = null;
            Optional<Instant> oldest = Optional.empty();
            Optional<Instant> newest = Optional.empty();
            List<Long> days = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                String[] fields = lines[i].trim().split(" ");
                switch (fields[0]) {
                    case "totals":
                        totals = new long[7];
                        for (int f = 0; f < 7; f++) {
                            totals[f] = Long.parseLong(fields[f + 1]);
                        }
                        break;
                    case "oldest":
                        oldest = Optional.of(Instant.parse(fields[1]));
                        break;
                    case "newest":
                        newest = Optional.of(Instant.parse(fields[1]));
                        break;
                    case "days":
                        for (int f = 1; f < fields.length; f++) {
                            days.add(Long.parseLong(fields[f]));
                        }
                        break;
                    default:
                        return Optional.empty();
                }
            }
            if (totals == null) {
                return Optional.empty();
            }
            return Optional.of(new CgmSummary(totals[0], totals[1], totals[2], totals[3], totals[4], totals[5],
                    totals[6], oldest, newest, days));
        } catch (DateTimeParseException | IllegalArgumentException | ArrayIndexOutOfBoundsException unreadable) {
            return Optional.empty();
        }
    }

    static String encode(List<Entry> entries) {
        StringBuilder out = new StringBuilder(DAY_HEADER).append('\n');
        for (Entry entry : entries) {
            out.append(entry.millisOfDay()).append(' ').append(entry.tenths()).append('\n');
        }
        return out.toString();
    }

    /** The day's readings in order; an unreadable value reads as no readings. */
    static List<Entry> decodeDay(String text) {
        String[] lines = text.split("\n");
        List<Entry> entries = new ArrayList<>();
        if (lines.length == 0 || !lines[0].equals(DAY_HEADER)) {
            return entries;
        }
        try {
            for (int i = 1; i < lines.length; i++) {
                if (!lines[i].isBlank()) {
                    String[] fields = lines[i].trim().split(" ");
                    entries.add(new Entry(Long.parseLong(fields[0]), Integer.parseInt(fields[1])));
                }
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException unreadable) {
            return new ArrayList<>();
        }
        return entries;
    }
}
