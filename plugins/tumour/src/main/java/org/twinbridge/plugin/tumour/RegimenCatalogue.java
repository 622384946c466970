package org.twinbridge.plugin.tumour;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The drugs the twin knows and the regimens it simulates, read from a plain-text file. Plugins get no
 * configuration file today, so the twin reads {@value #RESOURCE} from its own jar; a vendor changes the
 * regimens by editing that file and rebuilding (or by passing a catalogue to the twin's constructor).
 *
 * <p>Format, one entry per line, fields separated by spaces, {@code #} to the end of a line is a comment:
 * <pre>
 *   drug    NAME REFERENCE-DOSE UNIT EFFECT-HALF-LIFE-DAYS POTENCY [RXNORM,RXNORM...]
 *   regimen ID DRUG DOSE INTERVAL-DAYS CYCLES [DESCRIPTION...]
 * </pre>
 * Several {@code regimen} lines with one id make a combination. Immutable and thread-safe.
 */
final class RegimenCatalogue {

    static final String RESOURCE = "tumour-twin-regimens.txt";

    private final Map<String, Drug> drugs;
    private final List<Regimen> regimens;

    RegimenCatalogue(List<Drug> drugs, List<Regimen> regimens) {
        Map<String, Drug> byName = new LinkedHashMap<>();
        drugs.forEach(d -> byName.put(d.name(), d));
        this.drugs = Map.copyOf(byName);
        this.regimens = List.copyOf(regimens);
    }

    /** The catalogue shipped in the plugin jar. */
    static RegimenCatalogue bundled() {
        try (InputStream in = RegimenCatalogue.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("TB-TUMOUR-001: " + RESOURCE + " is missing from the plugin jar");
            }
            return parse(RESOURCE, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("TB-TUMOUR-001: cannot read " + RESOURCE + " from the plugin jar", e);
        }
    }

    /**
     * Parses a catalogue.
     *
     * @throws IllegalArgumentException {@code TB-TUMOUR-002} with {@code file:line: message} for a bad line
     */
    static RegimenCatalogue parse(String file, String text) {
        Map<String, Drug> drugs = new LinkedHashMap<>();
        Map<String, List<Regimen.Component>> components = new LinkedHashMap<>();
        Map<String, String> descriptions = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].replaceFirst("#.*$", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            String where = file + ":" + (n + 1) + ": ";
            try {
                switch (f[0]) {
                    case "drug":
                        require(f.length == 6 || f.length == 7, "a drug line has 5 or 6 fields: NAME"
                                + " REFERENCE-DOSE UNIT EFFECT-HALF-LIFE-DAYS POTENCY [RXNORM,...]");
                        Set<String> codes = f.length == 7 ? Set.copyOf(Arrays.asList(f[6].split(","))) : Set.of();
                        Drug drug = new Drug(f[1], number(f[2]), f[3], number(f[4]), number(f[5]), codes);
                        require(drugs.put(drug.name(), drug) == null, "drug '" + drug.name() + "' is defined twice");
                        break;
                    case "regimen":
                        require(f.length >= 6, "a regimen line has at least 5 fields: ID DRUG DOSE INTERVAL-DAYS"
                                + " CYCLES [DESCRIPTION...]");
                        Drug of = drugs.get(f[2]);
                        require(of != null, "drug '" + f[2] + "' is not defined above; known: " + drugs.keySet());
                        components.computeIfAbsent(f[1], id -> new ArrayList<>()).add(new Regimen.Component(of,
                                number(f[3]), number(f[4]), Integer.parseInt(f[5])));
                        if (f.length > 6) {
                            descriptions.merge(f[1], String.join(" ", Arrays.copyOfRange(f, 6, f.length)),
                                    (a, b) -> a + "; " + b);
                        }
                        break;
                    default:
                        throw new IllegalArgumentException("unknown entry '" + f[0] + "'; expected 'drug' or"
                                + " 'regimen'");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("TB-TUMOUR-002: " + where + e.getMessage(), e);
            }
        }
        List<Regimen> regimens = new ArrayList<>();
        components.forEach((id, parts) -> {
            try {
                regimens.add(new Regimen(id, descriptions.getOrDefault(id, id), parts));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("TB-TUMOUR-002: " + file + ": " + e.getMessage(), e);
            }
        });
        return new RegimenCatalogue(List.copyOf(drugs.values()), regimens);
    }

    List<Regimen> regimens() {
        return regimens;
    }

    Optional<Drug> drug(String name) {
        return Optional.ofNullable(drugs.get(name));
    }

    /** The drug an administration names, by RxNorm ingredient code or by name in its text. */
    Optional<Drug> identify(Set<String> rxnormCodes, String words) {
        String text = words.toLowerCase(Locale.ROOT);
        return drugs.values().stream()
                .filter(d -> d.rxnormCodes().stream().anyMatch(rxnormCodes::contains) || text.contains(d.name()))
                .findFirst();
    }

    private static double number(String field) {
        try {
            double value = Double.parseDouble(field);
            require(Double.isFinite(value), "'" + field + "' is not a finite number");
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + field + "' is not a number");
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
