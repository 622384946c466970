package org.twinbridge.policy.load;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.twinbridge.policy.model.Obligation;
import org.twinbridge.policy.model.Condition;
import org.twinbridge.policy.model.PolicyRule;
import org.twinbridge.policy.model.PurposeOfUse;
import org.twinbridge.policy.model.RecipientPattern;
import org.twinbridge.policy.model.SensitivityLabels;
import org.twinbridge.policy.yaml.LocatedError;
import org.twinbridge.policy.yaml.YamlSection;

/** Reads and checks one rule; every mistake is reported at its position and reading goes on. */
final class RuleReader {

    static final Set<String> KEYS = Set.of("id", "description", "effect", "recipients", "purposes",
            "resource-types", "condition", "require-labels", "deny-labels", "consent", "project", "coded-only", "redact",
            "generalise", "shift-dates", "pseudonymise");
    private static final Set<String> OBLIGATION_KEYS =
            Set.of("project", "coded-only", "redact", "generalise", "shift-dates", "pseudonymise");
    /** Keys of {@code generalise} that apply by data type to the whole record rather than to one path. */
    private static final String ALL_DATES = "dates";
    private static final String ALL_AGES = "ages";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern METHOD = Pattern.compile("(year)|prefix\\((\\d{1,2})\\)|age-cap\\((\\d{1,3})\\)");

    private final FhirContext fhir;
    private final IFhirPath fhirPath;

    RuleReader(FhirContext fhir) {
        this.fhir = fhir;
        this.fhirPath = fhir.newFhirPath();
    }

    /** The rule, or empty if it has errors (they are added to the section's error list). */
    Optional<PolicyRule> read(YamlSection s, List<LocatedError> errors) {
        int before = errors.size();
        s.allowOnly(KEYS);
        String id = s.requireString("id", "id: news2-vital-signs");
        if (!id.isEmpty() && !ID.matcher(id).matches()) {
            s.errorAt("id", "TB-POLICY-001", "rule id '" + id + "' may hold letters, digits, '.', '_' and '-'");
        }
        PolicyRule.Effect effect = effect(s);
        List<RecipientPattern> recipients = recipients(s);
        Set<String> purposes = purposes(s);
        Set<String> types = resourceTypes(s);
        Optional<Condition> condition = s.string("condition").flatMap(expr -> compile(s, expr));
        Set<String> requireLabels = labels(s, "require-labels");
        Set<String> denyLabels = labels(s, "deny-labels");
        boolean consent = consent(s);
        Map<String, List<Obligation>> obligations = effect == PolicyRule.Effect.PERMIT
                ? obligations(s, types) : noObligations(s);
        if (errors.size() > before || effect == null) {
            return Optional.empty();
        }
        return Optional.of(new PolicyRule(id, s.string("description").orElse(""), effect, recipients, purposes,
                types, condition, requireLabels, denyLabels, consent, obligations,
                s.location()));
    }

    private static PolicyRule.Effect effect(YamlSection s) {
        String effect = s.requireString("effect", "effect: permit");
        switch (effect) {
            case "permit":
                return PolicyRule.Effect.PERMIT;
            case "deny":
                return PolicyRule.Effect.DENY;
            case "":
                return null;
            default:
                s.errorAt("effect", "TB-POLICY-001", "effect must be 'permit' or 'deny', not '" + effect + "'");
                return null;
        }
    }

    private static List<RecipientPattern> recipients(YamlSection s) {
        List<RecipientPattern> patterns = new ArrayList<>();
        for (String glob : required(s, "recipients", "recipients: [news2-twin]")) {
            if (RecipientPattern.isValid(glob)) {
                patterns.add(new RecipientPattern(glob));
            } else {
                s.errorAt("recipients", "TB-POLICY-001", "recipient '" + glob
                        + "' must be a plugin id (lower-case letters, digits, dashes) or a pattern with *");
            }
        }
        return patterns;
    }

    private static Set<String> purposes(YamlSection s) {
        Set<String> purposes = new LinkedHashSet<>();
        for (String code : required(s, "purposes", "purposes: [TREAT]")) {
            if (PurposeOfUse.isKnown(code)) {
                purposes.add(code);
            } else {
                s.errorAt("purposes", "TB-POLICY-003", "unknown purpose of use '" + code + "'; expected an HL7 v3 "
                        + "PurposeOfUse code such as TREAT, HRESCH, HOPERAT, PUBHLTH");
            }
        }
        return purposes;
    }

    private Set<String> resourceTypes(YamlSection s) {
        Set<String> types = new LinkedHashSet<>();
        for (String type : required(s, "resource-types", "resource-types: [Observation]")) {
            if (fhir.getResourceTypes().contains(type)) {
                types.add(type);
            } else {
                s.errorAt("resource-types", "TB-POLICY-009", "'" + type + "' is not a FHIR R4 resource type");
            }
        }
        return types;
    }

    private Optional<Condition> compile(YamlSection s, String expression) {
        try {
            return Optional.of(Condition.compile(fhirPath, expression));
        } catch (IllegalArgumentException e) {
            s.errorAt("condition", "TB-POLICY-004", "condition is not valid FHIRPath: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static Set<String> labels(YamlSection s, String key) {
        Set<String> labels = new TreeSet<>(s.strings(key).orElse(List.of()));
        for (String label : labels) {
            if (!SensitivityLabels.KNOWN_LABELS.contains(label)) {
                s.errorAt(key, "TB-POLICY-005", "unknown sensitivity label '" + label + "'; expected an HL7 v3 "
                        + "ActCode such as HIV, PSY, ETH, SDV, SEX, GDIS");
            }
        }
        return labels;
    }

    private static boolean consent(YamlSection s) {
        String value = s.string("consent").orElse("not-required");
        if (!value.equals("required") && !value.equals("not-required")) {
            s.errorAt("consent", "TB-POLICY-001", "consent must be 'required' or 'not-required', not '" + value + "'");
        }
        return value.equals("required");
    }

    private Map<String, List<Obligation>> obligations(YamlSection s, Set<String> types) {
        Map<String, Set<String>> projected = project(s, types);
        Map<String, Set<String>> redacted = byType(s, "redact", types);
        boolean codedEverywhere = s.strings("coded-only").map(v -> v.equals(List.of("all"))).orElse(false);
        Map<String, Set<String>> coded = codedEverywhere ? Map.of() : byType(s, "coded-only", types);
        Map<String, List<Map<String, Obligation.Generalise.Method>>> generalised = generalise(s, types);
        List<Obligation> typeDriven = typeDriven(s);
        Optional<Integer> shift = shiftDates(s);
        boolean pseudonymise = s.bool("pseudonymise").orElse(true);
        Map<String, List<Obligation>> obligations = new LinkedHashMap<>();
        for (String type : projected.keySet()) {
            List<Obligation> list = new ArrayList<>();
            list.add(new Obligation.AllowElements(type, projected.get(type)));
            if (codedEverywhere || coded.containsKey(type)) {
                list.add(new Obligation.CodedOnly(coded.getOrDefault(type, Set.of()), codedEverywhere));
            }
            list.addAll(typeDriven);
            if (redacted.containsKey(type)) {
                list.add(new Obligation.Redact(redacted.get(type)));
            }
            generalised.getOrDefault(type, List.of()).forEach(layer -> list.add(new Obligation.Generalise(layer)));
            shift.ifPresent(days -> list.add(new Obligation.ShiftDates(days)));
            if (pseudonymise) {
                list.add(new Obligation.Pseudonymise());
            }
            obligations.put(type, list);
        }
        return obligations;
    }

    private Map<String, Set<String>> project(YamlSection s, Set<String> types) {
        Map<String, Set<String>> projected = new LinkedHashMap<>();
        Optional<YamlSection> project = s.section("project");
        if (project.isEmpty()) {
            s.errorAt("effect", "TB-POLICY-006", "a permit rule must list, under 'project', the elements of each "
                    + "resource type that survive, e.g. project: { Observation: [code, value[x], subject] }");
            return projected;
        }
        YamlSection p = project.get();
        for (String type : p.keys()) {
            if (!types.contains(type)) {
                p.errorAt(type, "TB-POLICY-006", "'" + type + "' is projected but not in this rule's resource-types");
                continue;
            }
            Set<String> paths = new TreeSet<>(p.strings(type).orElse(List.of()));
            paths.forEach(path -> ElementPaths.problem(fhir, type, path)
                    .ifPresent(problem -> p.errorAt(type, "TB-POLICY-007", problem)));
            projected.put(type, paths);
        }
        types.stream().filter(t -> !projected.containsKey(t)).forEach(t -> s.errorAt("project", "TB-POLICY-006",
                "resource type " + t + " is granted but 'project' does not say which of its elements survive"));
        return projected;
    }

    /** Full paths such as {@code Patient.address.postalCode}, grouped by type, relative to it. */
    private Map<String, Set<String>> byType(YamlSection s, String key, Set<String> types) {
        Map<String, Set<String>> byType = new LinkedHashMap<>();
        for (String full : s.strings(key).orElse(List.of())) {
            relative(s, key, full, types).ifPresent(rel ->
                    byType.computeIfAbsent(full.substring(0, full.indexOf('.')), t -> new TreeSet<>()).add(rel));
        }
        return byType;
    }

    /**
     * {@code Type.path: method} or {@code Type.path: [method, method]}. Returns, per type, one map per layer:
     * the n-th method given for each path goes into the n-th layer, each becoming one Generalise obligation.
     */
    private Map<String, List<Map<String, Obligation.Generalise.Method>>> generalise(YamlSection s, Set<String> types) {
        Map<String, List<Map<String, Obligation.Generalise.Method>>> byType = new LinkedHashMap<>();
        s.section("generalise").ifPresent(g -> g.keys().stream().filter(k -> !k.equals(ALL_DATES) && !k.equals(ALL_AGES))
                .forEach(full -> g.strings(full).ifPresent(texts -> {
            Optional<String> rel = relative(g, full, full, types);
            for (int layer = 0; layer < texts.size(); layer++) {
                Optional<Obligation.Generalise.Method> method = method(g, full, texts.get(layer));
                if (rel.isPresent() && method.isPresent()) {
                    List<Map<String, Obligation.Generalise.Method>> layers =
                            byType.computeIfAbsent(full.substring(0, full.indexOf('.')), t -> new ArrayList<>());
                    while (layers.size() <= layer) {
                        layers.add(new LinkedHashMap<>());
                    }
                    layers.get(layer).put(rel.get(), method.get());
                }
            }
        })));
        return byType;
    }

    /**
     * {@code generalise: { dates: year, ages: age-cap(89) }}: generalisations by data type, for every date and
     * every age-like value wherever it occurs in the record, whatever the allow-list holds.
     */
    private static List<Obligation> typeDriven(YamlSection s) {
        List<Obligation> obligations = new ArrayList<>();
        Optional<YamlSection> section = s.section("generalise");
        if (section.isEmpty()) {
            return obligations;
        }
        YamlSection g = section.get();
        g.string(ALL_AGES).ifPresent(text -> {
            Matcher m = METHOD.matcher(text);
            if (m.matches() && m.group(3) != null && Integer.parseInt(m.group(3)) >= 1
                    && Integer.parseInt(m.group(3)) <= 150) {
                obligations.add(new Obligation.CapAges(Integer.parseInt(m.group(3))));
            } else {
                g.errorAt(ALL_AGES, "TB-POLICY-017", "'ages' caps every age-like value in the record and takes "
                        + "age-cap(N) with N from 1 to 150, for example ages: age-cap(89); not '" + text + "'");
            }
        });
        g.string(ALL_DATES).ifPresent(text -> {
            if (text.equals("year")) {
                obligations.add(new Obligation.DatesToYear());
            } else {
                g.errorAt(ALL_DATES, "TB-POLICY-017", "'dates' generalises every date in the record and takes "
                        + "'year', for example dates: year; not '" + text + "'");
            }
        });
        return obligations;
    }

    private static Optional<Obligation.Generalise.Method> method(YamlSection g, String key, String text) {
        Matcher m = METHOD.matcher(text);
        if (!m.matches()) {
            g.errorAt(key, "TB-POLICY-010", "generalisation '" + text + "' is not one of: year, prefix(N), age-cap(N)");
            return Optional.empty();
        }
        return Optional.of(m.group(1) != null ? new Obligation.Generalise.ToYear()
                : m.group(2) != null ? new Obligation.Generalise.Prefix(Integer.parseInt(m.group(2)))
                : new Obligation.Generalise.AgeCap(Integer.parseInt(m.group(3))));
    }

    private Optional<String> relative(YamlSection s, String key, String full, Set<String> types) {
        int dot = full.indexOf('.');
        String type = dot < 0 ? full : full.substring(0, dot);
        if (dot < 0 || !types.contains(type)) {
            s.errorAt(key, "TB-POLICY-007", "'" + full + "' must be a path starting with one of this rule's "
                    + "resource types, e.g. Patient.address.postalCode");
            return Optional.empty();
        }
        String rel = full.substring(dot + 1);
        Optional<String> problem = ElementPaths.problem(fhir, type, rel);
        problem.ifPresent(p -> s.errorAt(key, "TB-POLICY-007", p));
        return problem.isPresent() ? Optional.empty() : Optional.of(rel);
    }

    private static Optional<Integer> shiftDates(YamlSection s) {
        Optional<String> text = s.string("shift-dates");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            int days = Integer.parseInt(text.get().trim());
            if (days >= 1 && days <= 3650) {
                return Optional.of(days);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        s.errorAt("shift-dates", "TB-POLICY-011", "shift-dates must be a number of days from 1 to 3650");
        return Optional.empty();
    }

    private static Map<String, List<Obligation>> noObligations(YamlSection s) {
        OBLIGATION_KEYS.stream().filter(s::has).forEach(key -> s.errorAt(key, "TB-POLICY-008",
                "'" + key + "' only makes sense on a permit rule; a deny rule shares nothing"));
        return Map.of();
    }

    private static List<String> required(YamlSection s, String key, String example) {
        Optional<List<String>> values = s.strings(key);
        if (values.isEmpty() || values.get().isEmpty()) {
            if (!s.has(key)) {
                s.errorAt(key, "TB-YAML-002", "missing key '" + s.qualified(key) + "', for example " + example);
            } else if (values.isPresent()) {
                s.errorAt(key, "TB-POLICY-001", "'" + s.qualified(key) + "' must not be empty");
            }
            return List.of();
        }
        return values.get();
    }
}
