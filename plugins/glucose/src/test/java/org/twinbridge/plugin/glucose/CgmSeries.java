package org.twinbridge.plugin.glucose;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The CGM test series in {@code src/test/resources/cgm} (see the NOTICE there), read without the plugin's code. */
final class CgmSeries {

    /**
     * One reading.
     *
     * @param at    when
     * @param mgPerDl the value
     */
    record Reading(Instant at, int mgPerDl) {
    }

    private CgmSeries() {
    }

    /**
     * The EGV rows of the Dexcom G6 Clarity export, in time order. Its timestamps carry no zone (the export was
     * time-shifted by its author); they are read as UTC.
     */
    static List<Reading> dexcom() {
        List<Reading> readings = new ArrayList<>();
        String text = resource("cgm/cgmquantify_dexcom-g6-clarity-export.csv");
        for (String line : text.split("\r?\n")) {
            String[] fields = line.split(",", -1);
            if (fields.length > 7 && fields[2].equals("EGV")) {
                readings.add(new Reading(LocalDateTime.parse(fields[1]).toInstant(ZoneOffset.UTC),
                        Integer.parseInt(fields[7])));
            }
        }
        readings.sort(Comparator.comparing(Reading::at));
        return List.copyOf(readings);
    }

    /** The Nightscout sgv entries, oldest first (the file is newest first). */
    static List<Reading> nightscout() {
        String text = resource("cgm/oref0_nightscout-glucose-entries.json");
        Matcher entry = Pattern.compile("\"date\":\\s*(\\d+),[^}]*?\"sgv\":\\s*(\\d+)").matcher(text);
        List<Reading> readings = new ArrayList<>();
        while (entry.find()) {
            readings.add(new Reading(Instant.ofEpochMilli(Long.parseLong(entry.group(1))),
                    Integer.parseInt(entry.group(2))));
        }
        readings.sort(Comparator.comparing(Reading::at));
        return List.copyOf(readings);
    }

    private static String resource(String path) {
        try (InputStream in = CgmSeries.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + path + " is missing");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
