package org.twinbridge.policy.federation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.twinbridge.policy.model.PolicyRule;
import org.twinbridge.policy.model.PurposeOfUse;
import org.twinbridge.policy.model.RecipientPattern;
import org.twinbridge.policy.yaml.YamlSection;

/**
 * Reads {@code federation:} of a policy file:
 * <pre>
 * federation:
 *   disclosure: { min-cell: 5, min-cohort: 10, max-categories: 40, max-label-chars: 80, noise: 0 }
 *   rules:
 *     - id: tumour-trial-from-coordinator
 *       effect: permit
 *       requesters: [trial-coordinator]
 *       plugins: [tumour-twin]
 *       purposes: [HRESCH]
 * </pre>
 * Errors are collected in the section's error list with {@code file:line:column}.
 */
public final class FederationReader {

    private FederationReader() {
    }

    public static FederationRules read(YamlSection s) {
        s.allowOnly(Set.of("disclosure", "rules"));
        DisclosureSettings disclosure = s.section("disclosure").map(FederationReader::disclosure)
                .orElse(DisclosureSettings.defaults());
        List<FederationRule> rules = new ArrayList<>();
        for (YamlSection r : s.sections("rules")) {
            rule(r).ifPresent(rules::add);
        }
        return new FederationRules(rules, disclosure);
    }

    private static Optional<FederationRule> rule(YamlSection r) {
        r.allowOnly(Set.of("id", "description", "effect", "requesters", "plugins", "purposes"));
        String id = r.requireString("id", "id: tumour-trial-from-coordinator");
        String effectText = r.requireString("effect", "effect: permit");
        PolicyRule.Effect effect = null;
        if (effectText.equals("permit")) {
            effect = PolicyRule.Effect.PERMIT;
        } else if (effectText.equals("deny")) {
            effect = PolicyRule.Effect.DENY;
        } else if (!effectText.isEmpty()) {
            r.errorAt("effect", "TB-POLICY-001", "effect must be 'permit' or 'deny', not '" + effectText + "'");
        }
        List<RecipientPattern> requesters = patterns(r, "requesters", "requesters: [trial-coordinator]");
        List<RecipientPattern> plugins = patterns(r, "plugins", "plugins: [tumour-twin]");
        List<String> purposes = r.strings("purposes").orElse(List.of());
        if (purposes.isEmpty()) {
            r.errorAt("purposes", "TB-POLICY-001", "a federation rule names at least one purpose, for example "
                    + "purposes: [HRESCH]");
        }
        for (String purpose : purposes) {
            if (!PurposeOfUse.isKnown(purpose)) {
                r.errorAt("purposes", "TB-POLICY-001", "unknown purpose of use '" + purpose + "'");
            }
        }
        if (effect == null || id.isEmpty() || requesters.isEmpty() || plugins.isEmpty() || purposes.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new FederationRule(id, effect, requesters, plugins, Set.copyOf(purposes), r.location()));
    }

    private static List<RecipientPattern> patterns(YamlSection r, String key, String example) {
        List<String> values = r.strings(key).orElse(List.of());
        if (values.isEmpty()) {
            r.errorAt(key, "TB-POLICY-001", "a federation rule names at least one entry in '" + key + "', for example "
                    + example);
            return List.of();
        }
        List<RecipientPattern> out = new ArrayList<>();
        for (String v : values) {
            if (RecipientPattern.isValid(v)) {
                out.add(new RecipientPattern(v));
            } else {
                r.errorAt(key, "TB-POLICY-001", "'" + v + "' in '" + key + "' must be lower-case letters, digits and "
                        + "dashes, or a pattern with *");
            }
        }
        return out;
    }

    private static DisclosureSettings disclosure(YamlSection d) {
        d.allowOnly(Set.of("min-cell", "min-cohort", "max-categories", "max-label-chars", "noise"));
        DisclosureSettings defaults = DisclosureSettings.defaults();
        int minCell = integer(d, "min-cell", defaults.minCell());
        int minCohort = integer(d, "min-cohort", Math.max(defaults.minCohort(), minCell));
        int maxCategories = integer(d, "max-categories", defaults.maxCategories());
        int maxLabel = integer(d, "max-label-chars", defaults.maxLabelChars());
        double noise = 0;
        Optional<String> noiseText = d.string("noise");
        if (noiseText.isPresent()) {
            try {
                noise = Double.parseDouble(noiseText.get());
            } catch (NumberFormatException e) {
                noise = -1;
            }
        }
        try {
            return new DisclosureSettings(minCell, minCohort, maxCategories, maxLabel, noise);
        } catch (IllegalArgumentException e) {
            d.errorAt("min-cell", "TB-POLICY-024", "federation.disclosure: " + e.getMessage());
            return defaults;
        }
    }

    private static int integer(YamlSection d, String key, int fallback) {
        Optional<String> text = d.string(key);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(text.get());
        } catch (NumberFormatException e) {
            d.errorAt(key, "TB-POLICY-024", "'" + d.qualified(key) + "' must be a whole number, not '" + text.get()
                    + "'");
            return fallback;
        }
    }
}
