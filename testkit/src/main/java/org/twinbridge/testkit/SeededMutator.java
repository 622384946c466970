package org.twinbridge.testkit;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Mutation-based fuzzing with a seed that is always printed, so that a failure can be replayed exactly: the
 * inputs depend on the seed alone (the time budget only decides how many are tried), and a failure names the
 * iteration. Mutations are byte-level (bit flips, protocol-significant bytes, deletions, duplications,
 * truncations, splices from other samples, long repetitions) and line-level (swaps, drops, duplications), one
 * to four per input. Seed and budget come from {@code -Dtwinbridge.fuzz.seed} and {@code
 * -Dtwinbridge.fuzz.seconds}. The project's own generator on purpose (see DEPENDENCIES.md on jqwik).
 */
public final class SeededMutator {

    /** Protocol-significant bytes for HL7 v2 (MLLP, delimiters) and JSON. */
    private static final byte[] INTERESTING = {0x00, 0x0B, 0x1C, 0x0D, 0x0A, '|', '^', '~', '\\', '&', '{', '}',
        '[', ']', '"', ':', ',', '-', '0', '9', 'M', 'S', 'H', (byte) 0xFF, (byte) 0xC3, (byte) 0x80, 0x7F};
    private static final int MAX_GROWTH = 256 * 1024;

    private final long seed;
    private final Random random;
    private final List<byte[]> corpus;

    public SeededMutator(long seed, List<byte[]> corpus) {
        if (corpus.isEmpty()) {
            throw new IllegalArgumentException("a mutation fuzzer needs at least one sample");
        }
        this.seed = seed;
        this.random = new Random(seed);
        this.corpus = List.copyOf(corpus);
    }

    /** The seed from {@code -Dtwinbridge.fuzz.seed}, else {@code fallback}; printed either way. */
    public static long seed(String what, long fallback) {
        long seed = Long.getLong("twinbridge.fuzz.seed", fallback);
        System.out.println("fuzz " + what + ": seed " + seed + " (replay with -Dtwinbridge.fuzz.seed=" + seed + ")");
        return seed;
    }

    /** The time budget from {@code -Dtwinbridge.fuzz.seconds}, else {@code fallback}. */
    public static Duration budget(Duration fallback) {
        return Duration.ofSeconds(Long.getLong("twinbridge.fuzz.seconds", fallback.toSeconds()));
    }

    public long seedValue() {
        return seed;
    }

    /** A checked property of one input; throw to report a violation. */
    @FunctionalInterface
    public interface Property {
        void check(byte[] input) throws Exception;
    }

    /**
     * Checks the property on mutated inputs until the budget is spent (at least {@code minimum} inputs, each
     * sample unmutated first), and never more than {@code maximum}: the inputs are the seed's alone, so a run is
     * always a prefix of the same sequence, and a faster machine (CI) cannot meet inputs the slower one never
     * tried. Raise the cap with {@code -Dtwinbridge.fuzz.max} for a longer exploration.
     *
     * @return how many inputs were checked
     */
    public int run(Duration budget, int minimum, int maximum, Property property) {
        int cap = Math.max(minimum, Integer.getInteger("twinbridge.fuzz.max", maximum));
        Instant end = Instant.now().plus(budget);
        int i = 0;
        for (; i < corpus.size(); i++) {
            check(property, corpus.get(i), i);
        }
        while (i < cap && (i < minimum || Instant.now().isBefore(end))) {
            check(property, next(), i++);
        }
        System.out.println("fuzz: " + i + " inputs checked (seed " + seed + ")");
        return i;
    }

    private void check(Property property, byte[] input, int iteration) {
        try {
            property.check(input);
        } catch (Throwable e) {
            throw new AssertionError("fuzz property failed at iteration " + iteration + " with seed " + seed
                    + " (replay with -Dtwinbridge.fuzz.seed=" + seed + "): " + e, e);
        }
    }

    /** The next mutated input. */
    public byte[] next() {
        byte[] data = corpus.get(random.nextInt(corpus.size())).clone();
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            data = mutate(data);
        }
        return data;
    }

    private byte[] mutate(byte[] data) {
        if (data.length == 0) {
            return new byte[] {INTERESTING[random.nextInt(INTERESTING.length)]};
        }
        int at = random.nextInt(data.length);
        switch (random.nextInt(10)) {
            case 0 -> data[at] ^= (byte) (1 << random.nextInt(8));
            case 1 -> data[at] = INTERESTING[random.nextInt(INTERESTING.length)];
            case 2 -> {
                return remove(data, at, 1 + random.nextInt(Math.min(64, data.length - at)));
            }
            case 3 -> {
                int length = 1 + random.nextInt(Math.min(256, data.length - at));
                return insert(data, random.nextInt(data.length + 1), slice(data, at, length));
            }
            case 4 -> {
                return slice(data, 0, at);
            }
            case 5 -> {
                byte[] other = corpus.get(random.nextInt(corpus.size()));
                if (other.length == 0) {
                    return data;
                }
                int from = random.nextInt(other.length);
                return insert(data, at, slice(other, from, 1 + random.nextInt(Math.min(512, other.length - from))));
            }
            case 6 -> {
                int length = 1 + random.nextInt(Math.min(16, data.length - at));
                byte[] unit = slice(data, at, length);
                ByteArrayOutputStream repeated = new ByteArrayOutputStream();
                for (int r = 10 + random.nextInt(2000); r > 0 && repeated.size() < MAX_GROWTH; r--) {
                    repeated.writeBytes(unit);
                }
                return insert(data, at, repeated.toByteArray());
            }
            case 7 -> data[at] = (byte) random.nextInt(256);
            default -> {
                return lines(data);
            }
        }
        return data;
    }

    /** Swaps, drops or duplicates a line (segment), split on CR or LF. */
    private byte[] lines(byte[] data) {
        String text = new String(data, java.nio.charset.StandardCharsets.ISO_8859_1);
        String separator = text.indexOf('\r') >= 0 ? "\r" : "\n";
        java.util.List<String> lines = new java.util.ArrayList<>(List.of(text.split(separator, -1)));
        if (lines.size() < 2) {
            return data;
        }
        int a = random.nextInt(lines.size());
        int b = random.nextInt(lines.size());
        switch (random.nextInt(3)) {
            case 0 -> java.util.Collections.swap(lines, a, b);
            case 1 -> lines.remove(a);
            default -> lines.add(b, lines.get(a));
        }
        return String.join(separator, lines).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static byte[] slice(byte[] data, int from, int length) {
        byte[] out = new byte[length];
        System.arraycopy(data, from, out, 0, length);
        return out;
    }

    private static byte[] remove(byte[] data, int from, int length) {
        byte[] out = new byte[data.length - length];
        System.arraycopy(data, 0, out, 0, from);
        System.arraycopy(data, from + length, out, from, data.length - from - length);
        return out;
    }

    private static byte[] insert(byte[] data, int at, byte[] piece) {
        if (data.length + piece.length > data.length + MAX_GROWTH) {
            return data;
        }
        byte[] out = new byte[data.length + piece.length];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(piece, 0, out, at, piece.length);
        System.arraycopy(data, at, out, at + piece.length, data.length - at);
        return out;
    }
}
