package org.twinbridge.tools.cli;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import org.twinbridge.policy.decision.PolicyDecisionPoint;
import org.twinbridge.policy.explain.PolicyExplainer;
import org.twinbridge.policy.load.PolicyException;
import org.twinbridge.policy.load.PolicyLoader;
import org.twinbridge.policy.model.PolicySet;
import org.twinbridge.policy.policytest.PolicyTestResult;
import org.twinbridge.policy.policytest.PolicyTestSuite;
import org.twinbridge.policy.yaml.LocatedError;
import org.twinbridge.runtime.consent.FileConsents;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code twinbridge policy}: tools for the people who write policies. */
@Command(name = "policy", description = "Validate, test and explain policy sets.",
        subcommands = {PolicyCommand.Validate.class, PolicyCommand.Test.class, ExplainCommand.class})
final class PolicyCommand {

    static PolicySet load(Path dir) throws PolicyException {
        return new PolicyLoader(FhirContext.forR4Cached()).load(dir);
    }

    static int report(PolicyException e) {
        e.errors().stream().map(LocatedError::format).forEach(System.err::println);
        System.err.println(e.errors().size() + " error(s).");
        return TwinBridgeCli.BAD_INPUT;
    }

    /** {@code policy validate DIR}. */
    @Command(name = "validate", description = "Check a policy directory; print every error as file:line:column.")
    static final class Validate implements Callable<Integer> {

        @Parameters(paramLabel = "DIR", description = "The policy directory.")
        Path dir;

        @Override
        public Integer call() {
            try {
                PolicySet set = load(dir);
                PolicyTestSuite.load(FhirContext.forR4Cached(), dir);
                System.out.printf("%s: policy set '%s' is valid: %d rule(s), %d sensitivity code(s), version %s%n",
                        dir, set.id(), set.rules().size(), set.labels().entries().size(), set.version());
                return TwinBridgeCli.OK;
            } catch (PolicyException e) {
                return report(e);
            }
        }
    }

    /** {@code policy test DIR}. */
    @Command(name = "test", description = "Run the policy tests in DIR/tests and print a pass/fail table.")
    static final class Test implements Callable<Integer> {

        @Parameters(paramLabel = "DIR", description = "The policy directory.")
        Path dir;

        @Override
        public Integer call() {
            FhirContext fhir = FhirContext.forR4Cached();
            List<PolicyTestResult> results;
            try {
                PolicySet set = load(dir);
                PolicyTestSuite suite = PolicyTestSuite.load(fhir, dir);
                results = suite.run(new PolicyExplainer(fhir, new PolicyDecisionPoint(set), LocalDate.now()),
                        FileConsents.loader(fhir, Clock.systemUTC()));
            } catch (PolicyException e) {
                return report(e);
            }
            if (results.isEmpty()) {
                System.out.println(dir + ": no test cases in " + dir.resolve(PolicyTestSuite.TESTS_DIR));
                return TwinBridgeCli.BAD_INPUT;
            }
            System.out.printf("%-6s %-8s %s%n", "result", "decision", "test");
            for (PolicyTestResult r : results) {
                System.out.printf("%-6s %-8s %s%n", r.passed() ? "PASS" : "FAIL", r.decision(), r.testCase().name());
                if (!r.passed()) {
                    System.out.println("       at " + r.testCase().location());
                    r.failures().forEach(f -> System.out.println("       - " + f));
                }
            }
            long failed = results.stream().filter(r -> !r.passed()).count();
            System.out.printf("%d passed, %d failed%n", results.size() - failed, failed);
            return failed == 0 ? TwinBridgeCli.OK : TwinBridgeCli.RUNTIME_FAILURE;
        }
    }
}
