package org.twinbridge.policy.load;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.twinbridge.policy.federation.FederationReader;
import org.twinbridge.policy.federation.FederationRules;
import org.twinbridge.policy.model.PolicyRule;
import org.twinbridge.policy.model.PolicySet;
import org.twinbridge.policy.model.SensitivityLabels;
import org.twinbridge.policy.yaml.LocatedError;
import org.twinbridge.policy.yaml.YamlDocument;
import org.twinbridge.policy.yaml.YamlSection;

/**
 * Loads a policy set from a directory: every {@code *.yaml} file directly in it holds rules, exactly one of
 * them also has the {@code policy-set} header, and {@code labels.yaml} (optional) holds the sensitivity code
 * lists. Sub-directories (such as {@code tests/}) are not read. Every error in every file is reported, each
 * as {@code file:line:column}; a set with any error is not returned.
 */
public final class PolicyLoader {

    /** The code-list file name inside a policy directory. */
    public static final String LABELS_FILE = "labels.yaml";
    private static final long MAX_FILE_BYTES = 1 << 20;

    private final FhirContext fhir;
    private final RuleReader rules;

    public PolicyLoader(FhirContext fhir) {
        this.fhir = fhir;
        this.rules = new RuleReader(fhir);
    }

    public PolicySet load(Path dir) throws PolicyException {
        return loadFederated(dir).set();
    }

    /** The policy set and its {@code federation:} section (none: every federated task denied, default thresholds). */
    public FederatedPolicy loadFederated(Path dir) throws PolicyException {
        List<LocatedError> errors = new ArrayList<>();
        List<Path> files = policyFiles(dir, errors);
        MessageDigest version = sha256();
        String id = null;
        String description = "";
        List<PolicyRule> all = new ArrayList<>();
        SensitivityLabels labels = SensitivityLabels.none();
        FederationRules federation = null;
        for (Path file : files) {
            String name = dir.relativize(file).toString();
            String text = read(file, name, errors);
            if (text == null) {
                continue;
            }
            version.update(name.getBytes(StandardCharsets.UTF_8));
            version.update((byte) 0);
            version.update(text.getBytes(StandardCharsets.UTF_8));
            version.update((byte) 0);
            String shown = file.toString();
            Optional<YamlSection> doc = YamlDocument.read(shown, new StringReader(text), errors);
            if (doc.isEmpty()) {
                continue;
            }
            if (name.equals(LABELS_FILE)) {
                labels = LabelReader.read(doc.get());
                continue;
            }
            YamlSection top = doc.get();
            top.allowOnly(Set.of("policy-set", "rules", "federation"));
            Optional<YamlSection> header = top.section("policy-set");
            if (header.isPresent()) {
                if (id != null) {
                    top.errorAt("policy-set", "TB-POLICY-015", "a second 'policy-set' header; a directory holds one "
                            + "policy set, declared in one file");
                } else {
                    YamlSection h = header.get();
                    h.allowOnly(Set.of("id", "description"));
                    id = h.requireString("id", "id: st-marys-research");
                    description = h.string("description").orElse("");
                }
            }
            Optional<YamlSection> federationSection = top.section("federation");
            if (federationSection.isPresent()) {
                if (federation != null) {
                    top.errorAt("federation", "TB-POLICY-024", "a second 'federation' section; a policy set has "
                            + "one, in one file");
                } else {
                    federation = FederationReader.read(federationSection.get());
                }
            }
            for (YamlSection rule : top.sections("rules")) {
                rules.read(rule, errors).ifPresent(all::add);
            }
        }
        if (id == null && errors.isEmpty()) {
            errors.add(new LocatedError(dir.toString(), 0, 0, "TB-POLICY-012", "no file declares the policy set; "
                    + "add 'policy-set: { id: ..., description: ... }' to one of the YAML files"));
        }
        checkUniqueIds(all, errors);
        if (!errors.isEmpty()) {
            throw new PolicyException(errors);
        }
        return new FederatedPolicy(new PolicySet(id, description,
                "sha256:" + HexFormat.of().formatHex(version.digest()).substring(0, 16), all, labels),
                federation == null ? FederationRules.none() : federation);
    }

    private static List<Path> policyFiles(Path dir, List<LocatedError> errors) {
        if (!Files.isDirectory(dir)) {
            errors.add(new LocatedError(dir.toString(), 0, 0, "TB-POLICY-013", "policy directory not found"));
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".yaml") || p.getFileName().toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            errors.add(new LocatedError(dir.toString(), 0, 0, "TB-POLICY-013", "cannot list the policy directory"));
            return List.of();
        }
    }

    private static String read(Path file, String name, List<LocatedError> errors) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                errors.add(new LocatedError(file.toString(), 0, 0, "TB-POLICY-013", name + " is larger than 1 MiB"));
                return null;
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            errors.add(new LocatedError(file.toString(), 0, 0, "TB-POLICY-013", "cannot read " + name));
            return null;
        }
    }

    private static void checkUniqueIds(List<PolicyRule> rules, List<LocatedError> errors) {
        Set<String> seen = new HashSet<>();
        for (PolicyRule rule : rules) {
            if (!seen.add(rule.id())) {
                String[] at = rule.location().split(":");
                errors.add(new LocatedError(String.join(":", java.util.Arrays.copyOf(at, at.length - 2)),
                        Integer.parseInt(at[at.length - 2]), Integer.parseInt(at[at.length - 1]), "TB-POLICY-002",
                        "rule id '" + rule.id() + "' is used twice in this policy set"));
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    FhirContext fhir() {
        return fhir;
    }
}
