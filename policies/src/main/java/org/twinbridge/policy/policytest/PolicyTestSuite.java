package org.twinbridge.policy.policytest;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.parser.DataFormatException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.policy.decision.Decision;
import org.twinbridge.policy.explain.ConsentCheck;
import org.twinbridge.policy.explain.Explanation;
import org.twinbridge.policy.explain.PolicyExplainer;
import org.twinbridge.policy.load.PolicyException;
import org.twinbridge.policy.yaml.LocatedError;
import org.twinbridge.policy.yaml.YamlDocument;
import org.twinbridge.policy.yaml.YamlSection;

/** Reads the test cases in a policy directory's {@code tests/} folder and runs them through an explainer. */
public final class PolicyTestSuite {

    /** The folder, inside a policy directory, that holds test files. */
    public static final String TESTS_DIR = "tests";
    private static final Set<String> CASE_KEYS = Set.of("name", "recipient", "purpose", "record", "consent",
            "expect", "rules", "present", "absent");

    private final FhirContext fhir;
    private final List<PolicyTestCase> cases;

    private PolicyTestSuite(FhirContext fhir, List<PolicyTestCase> cases) {
        this.fhir = fhir;
        this.cases = List.copyOf(cases);
    }

    /** Reads every {@code tests/*.yaml}; reports every malformed case at its position. */
    public static PolicyTestSuite load(FhirContext fhir, Path policyDir) throws PolicyException {
        List<LocatedError> errors = new ArrayList<>();
        List<PolicyTestCase> cases = new ArrayList<>();
        Path dir = policyDir.resolve(TESTS_DIR);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                    readFile(file, cases, errors);
                }
            } catch (IOException e) {
                errors.add(new LocatedError(dir.toString(), 0, 0, "TB-POLICY-020", "cannot list the tests folder"));
            }
        }
        if (!errors.isEmpty()) {
            throw new PolicyException(errors);
        }
        return new PolicyTestSuite(fhir, cases);
    }

    private static void readFile(Path file, List<PolicyTestCase> cases, List<LocatedError> errors) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Optional<YamlSection> doc = YamlDocument.read(file.toString(), new StringReader(text), errors);
        if (doc.isEmpty()) {
            return;
        }
        doc.get().allowOnly(Set.of("tests"));
        for (YamlSection c : doc.get().sections("tests")) {
            int before = errors.size();
            c.allowOnly(CASE_KEYS);
            String name = c.requireString("name", "name: news2 sees heart rate");
            String recipient = c.requireString("recipient", "recipient: news2-twin");
            String purpose = c.requireString("purpose", "purpose: TREAT");
            String record = c.requireString("record", "record: records/heart-rate.json");
            PolicyTestCase.ConsentSpec consent = consent(c, file);
            String expect = c.requireString("expect", "expect: permit");
            if (!expect.isEmpty() && !expect.equals("permit") && !expect.equals("deny")) {
                c.errorAt("expect", "TB-POLICY-021", "expect must be 'permit' or 'deny'");
            }
            Path recordFile = file.getParent().resolve(record);
            if (!record.isEmpty() && !Files.isRegularFile(recordFile)) {
                c.errorAt("record", "TB-POLICY-022", "record file " + record + " not found next to the test file");
            }
            if (errors.size() == before) {
                cases.add(new PolicyTestCase(file.toString(), c.location(), name, recipient, purpose, recordFile,
                        consent, expect.equals("permit"), c.strings("rules"),
                        c.strings("present").orElse(List.of()), c.strings("absent").orElse(List.of())));
            }
        }
    }

    private static PolicyTestCase.ConsentSpec consent(YamlSection c, Path file) {
        List<String> values = c.strings("consent").orElse(List.of("absent"));
        if (values.equals(List.of("given"))) {
            return new PolicyTestCase.Given();
        }
        if (values.equals(List.of("absent"))) {
            return new PolicyTestCase.Absent();
        }
        List<Path> files = new ArrayList<>();
        for (String value : values) {
            Path consentFile = file.getParent().resolve(value);
            if (value.equals("given") || value.equals("absent")) {
                c.errorAt("consent", "TB-POLICY-021", "consent must be 'given', 'absent', or a list of consent "
                        + "files, not a mix");
            } else if (!Files.isRegularFile(consentFile)) {
                c.errorAt("consent", "TB-POLICY-022", "consent file " + value + " not found next to the test file");
            }
            files.add(consentFile);
        }
        return new PolicyTestCase.Files(files);
    }

    /**
     * Turns a case's consent files into a consent check; supplied by the consent module. Throws
     * {@link IllegalArgumentException} with a {@code TB-} coded message (no content) for an unusable file.
     */
    @FunctionalInterface
    public interface ConsentLoader {
        ConsentCheck load(List<Path> files);
    }

    public List<PolicyTestCase> cases() {
        return cases;
    }

    /** Runs every case; cases with consent files fail, as there is nothing here to evaluate them. */
    public List<PolicyTestResult> run(PolicyExplainer explainer) {
        return run(explainer, files -> {
            throw new IllegalArgumentException("TB-POLICY-023 consent files need consent evaluation; run the tests "
                    + "with 'twinbridge policy test'");
        });
    }

    /** Runs every case, evaluating consent files with {@code consents}. */
    public List<PolicyTestResult> run(PolicyExplainer explainer, ConsentLoader consents) {
        IFhirPath fhirPath = fhir.newFhirPath();
        List<PolicyTestResult> results = new ArrayList<>();
        for (PolicyTestCase c : cases) {
            results.add(runOne(c, explainer, consents, fhirPath));
        }
        return results;
    }

    private static ConsentCheck consentCheck(PolicyTestCase.ConsentSpec spec, ConsentLoader consents) {
        if (spec instanceof PolicyTestCase.Given) {
            return ConsentCheck.given();
        }
        if (spec instanceof PolicyTestCase.Files files) {
            return consents.load(files.files());
        }
        return ConsentCheck.absent();
    }

    private PolicyTestResult runOne(PolicyTestCase c, PolicyExplainer explainer, ConsentLoader consents,
            IFhirPath fhirPath) {
        Resource resource;
        try {
            resource = (Resource) fhir.newJsonParser().parseResource(Files.readString(c.record()));
        } catch (IOException | DataFormatException | ClassCastException e) {
            return new PolicyTestResult(c, "error", List.of("record " + c.record().getFileName()
                    + " is not a FHIR R4 JSON resource"));
        }
        if (resource instanceof Bundle) {
            return new PolicyTestResult(c, "error", List.of("record must be a single resource, not a Bundle"));
        }
        ConsentCheck consent;
        try {
            consent = consentCheck(c.consent(), consents);
        } catch (IllegalArgumentException e) {
            return new PolicyTestResult(c, "error", List.of(e.getMessage()));
        }
        Explanation explanation = explainer.explain(c.recipient(), c.purpose(), resource, consent);
        Decision decision = explanation.finalDecision();
        List<String> failures = new ArrayList<>();
        if (decision.permitted() != c.expectPermit()) {
            failures.add("expected " + (c.expectPermit() ? "permit" : "deny") + " but got "
                    + (decision.permitted() ? "permit" : "deny") + reason(decision));
        }
        c.rules().ifPresent(expected -> {
            if (!Set.copyOf(decision.rules()).equals(Set.copyOf(expected))) {
                failures.add("expected deciding rules " + expected + " but got " + decision.rules());
            }
        });
        for (String path : c.present()) {
            if (!explanation.view().map(v -> holds(evaluate(fhirPath, v, path, failures))).orElse(false)) {
                failures.add("expected '" + path + "' to hold in what the recipient receives");
            }
        }
        for (String path : c.absent()) {
            if (explanation.view().map(v -> holds(evaluate(fhirPath, v, path, failures))).orElse(false)) {
                failures.add("expected '" + path + "' not to hold in what the recipient receives");
            }
        }
        return new PolicyTestResult(c, decision.permitted() ? "permit" : "deny", failures);
    }

    /** An expression holds when it finds something, unless what it finds is the single boolean false. */
    private static boolean holds(List<IBase> result) {
        return !result.isEmpty() && !(result.size() == 1 && result.get(0) instanceof IPrimitiveType<?> p
                && Boolean.FALSE.equals(p.getValue()));
    }

    private static List<IBase> evaluate(IFhirPath fhirPath, Resource view, String path, List<String> failures) {
        try {
            return fhirPath.evaluate(view, path, IBase.class);
        } catch (RuntimeException e) {
            failures.add("'" + path + "' is not valid FHIRPath");
            return List.of();
        }
    }

    private static String reason(Decision decision) {
        return decision instanceof Decision.Deny deny ? " (" + deny.reason() + ")" : "";
    }
}
