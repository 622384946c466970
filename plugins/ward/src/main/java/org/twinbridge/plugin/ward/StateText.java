package org.twinbridge.plugin.ward;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The twin's state as line-oriented text: one fact per line, a header naming the format and its version. Ward
 * references and status codes hold no spaces. A line that does not parse fails loudly (TB-WARD-001): silently
 * dropping a stay would skew the census without anyone noticing.
 */
final class StateText {

    static final String EPISODES_HEADER = "ward-episodes 1";
    static final String INDEX_HEADER = "ward-index 1";
    private static final String NONE = "-";

    private StateText() {
    }

    static String encodeEpisodes(Map<String, Episode> episodes) {
        StringBuilder out = new StringBuilder(EPISODES_HEADER).append('\n');
        episodes.forEach((key, e) -> {
            out.append("E ").append(key).append(' ').append(time(e.admitted())).append(' ').append(e.lastStatus())
                    .append(' ').append(time(e.discharged())).append('\n');
            e.statusTimes().forEach(s -> out.append("S ").append(s.at()).append(' ').append(s.status()).append('\n'));
            e.arrivals().forEach(a -> out.append("A ").append(a.at()).append(' ').append(a.ward()).append('\n'));
            e.seenOn().forEach(w -> out.append("L ").append(w).append('\n'));
        });
        return out.toString();
    }

    static Map<String, Episode> decodeEpisodes(String text) {
        Map<String, Episode> out = new LinkedHashMap<>();
        String key = null;
        Optional<Instant> admitted = Optional.empty();
        Optional<Instant> discharged = Optional.empty();
        String last = null;
        List<VisitUpdate.StatusAt> statuses = new ArrayList<>();
        List<VisitUpdate.Arrival> arrivals = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        int n = 0;
        for (String[] f : lines(text, EPISODES_HEADER)) {
            n++;
            switch (f[0]) {
                case "E" -> {
                    if (key != null) {
                        out.put(key, new Episode(admitted, statuses, last, arrivals, seen, discharged));
                    }
                    check(f, 5, n);
                    key = f[1];
                    admitted = optionalTime(f[2], n);
                    last = f[3];
                    discharged = optionalTime(f[4], n);
                    statuses = new ArrayList<>();
                    arrivals = new ArrayList<>();
                    seen = new ArrayList<>();
                }
                case "S" -> {
                    check(f, 3, n);
                    statuses.add(new VisitUpdate.StatusAt(time(f[1], n), f[2]));
                }
                case "A" -> {
                    check(f, 3, n);
                    arrivals.add(new VisitUpdate.Arrival(time(f[1], n), f[2]));
                }
                case "L" -> {
                    check(f, 2, n);
                    seen.add(f[1]);
                }
                default -> throw corrupt(n, "unknown line type");
            }
            if (key == null) {
                throw corrupt(n, "a fact before its episode");
            }
        }
        if (key != null) {
            out.put(key, new Episode(admitted, statuses, last, arrivals, seen, discharged));
        }
        return out;
    }

    static String encodeIndex(HospitalIndex index, Optional<Instant> lastForecast) {
        StringBuilder out = new StringBuilder(INDEX_HEADER).append('\n');
        out.append("C ").append(time(index.clock())).append(' ').append(time(index.firstSeen())).append(' ')
                .append(time(lastForecast)).append('\n');
        index.stays().forEach((subject, stays) -> stays.forEach(s -> out.append("P ").append(subject).append(' ')
                .append(s.ward()).append(' ').append(s.start()).append(' ').append(time(s.end())).append('\n')));
        return out.toString();
    }

    /** The index and the time of the last forecast. */
    record IndexState(HospitalIndex index, Optional<Instant> lastForecast) {
    }

    static IndexState decodeIndex(String text) {
        Optional<Instant> clock = Optional.empty();
        Optional<Instant> first = Optional.empty();
        Optional<Instant> lastForecast = Optional.empty();
        Map<String, List<WardStay>> stays = new TreeMap<>();
        int n = 0;
        for (String[] f : lines(text, INDEX_HEADER)) {
            n++;
            if (f[0].equals("C")) {
                check(f, 4, n);
                clock = optionalTime(f[1], n);
                first = optionalTime(f[2], n);
                lastForecast = optionalTime(f[3], n);
            } else if (f[0].equals("P")) {
                check(f, 5, n);
                stays.computeIfAbsent(f[1], s -> new ArrayList<>())
                        .add(new WardStay(f[2], time(f[3], n), optionalTime(f[4], n)));
            } else {
                throw corrupt(n, "unknown line type");
            }
        }
        return new IndexState(new HospitalIndex(clock, first, stays), lastForecast);
    }

    private static List<String[]> lines(String text, String header) {
        String[] all = text.split("\n");
        if (all.length == 0 || !all[0].equals(header)) {
            throw new IllegalStateException("TB-WARD-001 ward-twin state does not start with '" + header
                    + "'; it was written by another version or is damaged");
        }
        List<String[]> out = new ArrayList<>();
        for (int i = 1; i < all.length; i++) {
            if (!all[i].isBlank()) {
                out.add(all[i].split(" "));
            }
        }
        return out;
    }

    private static void check(String[] fields, int count, int line) {
        if (fields.length != count) {
            throw corrupt(line, "expected " + count + " fields, found " + fields.length);
        }
    }

    private static String time(Optional<Instant> time) {
        return time.map(Instant::toString).orElse(NONE);
    }

    private static Optional<Instant> optionalTime(String text, int line) {
        return text.equals(NONE) ? Optional.empty() : Optional.of(time(text, line));
    }

    private static Instant time(String text, int line) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw corrupt(line, "not an instant");
        }
    }

    private static IllegalStateException corrupt(int line, String what) {
        return new IllegalStateException("TB-WARD-001 ward-twin state line " + line + " is damaged: " + what);
    }
}
