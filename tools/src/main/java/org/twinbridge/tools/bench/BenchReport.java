package org.twinbridge.tools.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The measurements of one bench run, printed as one table, then the ratios, then the targets. */
final class BenchReport {

    /** One measured value. */
    record Row(String section, String measurement, double value, String unit) {
    }

    /** A ratio of two measurements of this run. */
    record Ratio(String name, double value, String meaning) {
    }

    /** A target of issue #10 or #18 and whether this run met it. */
    record Target(String name, String target, String measured, boolean met) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<Ratio> ratios = new ArrayList<>();
    private final List<Target> targets = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private final PrintStream live;

    /** @param live where each measurement is also printed as it is taken, so a cut-short run still shows them */
    BenchReport(PrintStream live) {
        this.live = live;
    }

    void add(String section, String measurement, double value, String unit) {
        rows.add(new Row(section, measurement, value, unit));
        live.printf("  = %s: %s: %s %s%n", section, measurement, format(value), unit);
    }

    void ratio(String name, double value, String meaning) {
        ratios.add(new Ratio(name, value, meaning));
    }

    void target(String name, String target, String measured, boolean met) {
        targets.add(new Target(name, target, measured, met));
    }

    void note(String note) {
        notes.add(note);
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    List<Ratio> ratios() {
        return List.copyOf(ratios);
    }

    void print(PrintStream out, String machine) {
        out.println();
        out.println("TwinBridge bench: " + machine);
        out.printf("%n%-22s %-58s %14s  %s%n", "section", "measurement", "value", "unit");
        out.println("-".repeat(110));
        for (Row row : rows) {
            out.printf("%-22s %-58s %14s  %s%n", row.section(), row.measurement(), format(row.value()), row.unit());
        }
        out.printf("%nRatios (measured in this run, on this machine)%n");
        out.println("-".repeat(110));
        for (Ratio ratio : ratios) {
            out.printf("%-40s %8.2f   %s%n", ratio.name(), ratio.value(), ratio.meaning());
        }
        out.printf("%nTargets (issues #10 and #18)%n");
        out.println("-".repeat(110));
        for (Target target : targets) {
            out.printf("%-40s %-16s %-28s %s%n", target.name(), target.target(), target.measured(),
                    target.met() ? "met" : "NOT met");
        }
        if (!notes.isEmpty()) {
            out.println();
            notes.forEach(n -> out.println("note: " + n));
        }
    }

    private static String format(double value) {
        if (value >= 100) {
            return String.format("%,.0f", value);
        }
        return String.format("%,.2f", value);
    }
}
