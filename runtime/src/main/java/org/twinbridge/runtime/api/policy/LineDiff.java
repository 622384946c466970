package org.twinbridge.runtime.api.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff of two texts by longest common subsequence: each line of the result is kept ({@code " "}), removed
 * ({@code "-"}) or added ({@code "+"}). Quadratic, which is fine for policy files (it refuses more than
 * {@link #MAX_LINES} lines a side rather than use a lot of memory).
 */
final class LineDiff {

    static final int MAX_LINES = 5000;

    /** One line of a diff. */
    record Line(char op, String text) {
        @Override
        public String toString() {
            return op + text;
        }
    }

    private LineDiff() {
    }

    static List<Line> diff(String before, String after) {
        String[] a = before.isEmpty() ? new String[0] : before.split("\n", -1);
        String[] b = after.isEmpty() ? new String[0] : after.split("\n", -1);
        if (a.length > MAX_LINES || b.length > MAX_LINES) {
            throw new IllegalArgumentException("files over " + MAX_LINES + " lines are not diffed");
        }
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Line> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                out.add(new Line(' ', a[i++]));
                j++;
            } else if (j < b.length && (i == a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
                out.add(new Line('+', b[j++]));
            } else {
                out.add(new Line('-', a[i++]));
            }
        }
        return out;
    }
}
