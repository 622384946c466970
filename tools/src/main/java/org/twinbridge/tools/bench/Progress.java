package org.twinbridge.tools.bench;

import java.io.PrintStream;

/** A progress line for a long measurement, rewritten at most once a second. */
final class Progress {

    private final PrintStream out;
    private final String label;
    private long lastPrinted;

    Progress(PrintStream out, String label) {
        this.out = out;
        this.label = label;
    }

    /** @param elapsedNanos since the measurement started */
    void update(long journalled, long processed, long total, long elapsedNanos) {
        long now = System.nanoTime();
        if (now - lastPrinted < 1_000_000_000L) {
            return;
        }
        lastPrinted = now;
        double seconds = elapsedNanos / 1e9;
        out.printf("\r  %-28s journalled %,7d / %,d   delivered to every plugin %,7d   %,8.0f rec/s   %5.1f s ",
                label, journalled, total, processed, processed / Math.max(seconds, 1e-3), seconds);
        out.flush();
    }

    /** A free-form progress message on the same line. */
    void message(String text) {
        out.printf("\r  %-28s %-80s", label, text);
        out.flush();
    }

    void done() {
        out.print("\r" + " ".repeat(120) + "\r");
        out.flush();
    }
}
