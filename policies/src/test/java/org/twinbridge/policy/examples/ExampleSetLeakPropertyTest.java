package org.twinbridge.policy.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.twinbridge.policy.decision.Decision;
import org.twinbridge.policy.decision.PolicyDecisionPoint;
import org.twinbridge.policy.model.Obligation;
import org.twinbridge.policy.explain.Explanation;
import org.twinbridge.policy.explain.PolicyExplainer;
import org.twinbridge.policy.load.PolicyLoader;
import org.twinbridge.policy.model.PolicyRule;
import org.twinbridge.policy.model.PolicySet;
import org.twinbridge.policy.policytest.PolicyTestCase;
import org.twinbridge.policy.policytest.PolicyTestSuite;

/**
 * Property, for every shipped example set: whatever a sender puts in a record a rule permits, no canary reaches
 * the view except where a rule keeps that exact element by name (and no coded-only obligation covers it), and
 * where a set generalises dates and ages, no date finer than a year and no age over 89 reaches it.
 *
 * <p>The records are generated ({@link RecordSaturator}): each permitted record of the set's own tests, and an
 * empty record of every type a rule without a condition grants, is filled in every position the FHIR model
 * gives it, in {@value RecordSaturator#VARIANTS} variants that send every choice type, date form and age unit
 * through every position. Each case is named by set, recipient, record and variant, so a failure replays by
 * itself.
 */
class ExampleSetLeakPropertyTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 29);
    private static final List<String> SETS = List.of("demo", "safe-harbor", "treatment-minimum-necessary");
    private static final int DEPTH = 5;
    private static final Map<String, PolicyExplainer> EXPLAINERS = new ConcurrentHashMap<>();

    /** One permitted record of a set, for one recipient and purpose: a test record, or an empty one of a type. */
    record Base(String set, String recipient, String purpose, String name, Path file, String type) {
        Resource build() throws Exception {
            if (file != null) {
                return (Resource) FHIR.newJsonParser().parseResource(Files.readString(file));
            }
            Resource empty = (Resource) FHIR.getResourceDefinition(type).newInstance();
            empty.setId("generated-1");
            return empty;
        }
    }

    static Stream<Arguments> cases() throws Exception {
        List<Arguments> cases = new ArrayList<>();
        for (String set : SETS) {
            Map<String, Base> bases = new LinkedHashMap<>();
            Path dir = Path.of("examples", set);
            for (PolicyTestCase test : PolicyTestSuite.load(FHIR, dir).cases()) {
                if (test.expectPermit()) {
                    bases.putIfAbsent(test.recipient() + test.purpose() + test.record(), new Base(set, test.recipient(),
                            test.purpose(), test.record().getFileName().toString(), test.record(), null));
                }
            }
            PolicySet policies = new PolicyLoader(FHIR).load(dir);
            for (PolicyRule rule : policies.rules()) {
                if (rule.effect() != PolicyRule.Effect.PERMIT || rule.condition().isPresent()) {
                    continue;
                }
                for (String type : rule.resourceTypes()) {
                    rule.recipients().stream().map(r -> r.glob()).filter(r -> !r.contains("*")).forEach(recipient ->
                            rule.purposes().forEach(purpose -> bases.putIfAbsent(recipient + purpose + type,
                                    new Base(set, recipient, purpose, "empty " + type, null, type))));
                }
            }
            for (Base base : bases.values()) {
                for (int variant = 0; variant < RecordSaturator.VARIANTS; variant++) {
                    cases.add(Arguments.of(set, base.recipient(), base.name(), variant, base));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1} {2} variant {3}")
    @MethodSource("cases")
    void saturatedRecord_reachesNoViewWithCanariesFullDatesOrAgesOver89(String set, String recipient, String name,
            int variant, Base base) throws Exception {
        Resource source = base.build();
        RecordSaturator saturator = new RecordSaturator(FHIR, variant, DEPTH);
        saturator.saturate(source);
        assertThat(FHIR.newJsonParser().encodeResourceToString(source)).as("canaries planted")
                .contains(saturator.canaries().keySet().iterator().next());

        Explanation explanation = explainer(set).explain(recipient, base.purpose(), source, true);

        String what = set + " " + recipient + " " + name + " variant " + variant;
        assertThat(explanation.view()).as("%s: the saturated record must still be permitted", what).isPresent();
        Resource view = explanation.view().get();
        List<Obligation> obligations = ((Decision.Permit) explanation.finalDecision()).obligations();
        String json = FHIR.newJsonParser().encodeResourceToString(view);
        ViewChecks.noCanaryOutsideNamedPaths(json, saturator.canaries(), view, obligations, what);
        if (obligations.stream().anyMatch(Obligation.DatesToYear.class::isInstance)) {
            ViewChecks.onlyYears(view, what);
        }
        obligations.stream().filter(Obligation.CapAges.class::isInstance).map(Obligation.CapAges.class::cast)
                .forEach(cap -> ViewChecks.noAgeOver(view, cap.maxAge(), TODAY, what));
        if (set.equals("safe-harbor")) {
            assertThat(json).as("%s: Safe Harbor keeps no free text anywhere", what)
                    .doesNotContain(RecordSaturator.CANARY_PREFIX);
        }
    }

    private static PolicyExplainer explainer(String set) {
        return EXPLAINERS.computeIfAbsent(set, name -> {
            try {
                return new PolicyExplainer(FHIR, new PolicyDecisionPoint(new PolicyLoader(FHIR)
                        .load(Path.of("examples", name))), TODAY);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
