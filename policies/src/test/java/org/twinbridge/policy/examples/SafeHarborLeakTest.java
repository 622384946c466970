package org.twinbridge.policy.examples;

import org.twinbridge.testkit.SharedData;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Address;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.twinbridge.policy.decision.PolicyDecisionPoint;
import org.twinbridge.policy.explain.Explanation;
import org.twinbridge.policy.explain.PolicyExplainer;
import org.twinbridge.policy.load.PolicyLoader;

/**
 * The Safe Harbor example leaks nothing: every FHIR R4 specification example and every Synthea resource of a
 * granted type gets canary values planted in names, identifiers, telecom, address, narrative, extensions
 * (at the root and nested), contained resources, notes and reference displays, and then, by
 * {@link RecordSaturator}, in every other string-bearing position down to two or three levels (code and coding text,
 * displays, string values, units, element ids, {@code Reference.type}, meta), with full dates, instants and
 * ages above 89 in every unit form wherever the model allows them. No canary, no date finer than a year and no
 * age over 89 may reach the view.
 */
class SafeHarborLeakTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Set<String> GRANTED =
            Set.of("Patient", "Observation", "Condition", "Procedure", "MedicationRequest", "Encounter");
    private static final String CANARY = "CANARYX";
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 29);
    private static PolicyExplainer explainer;

    @BeforeAll
    static void load() throws Exception {
        explainer = new PolicyExplainer(FHIR, new PolicyDecisionPoint(new PolicyLoader(FHIR)
                .load(Path.of("examples/safe-harbor"))), TODAY);
    }

    @Test
    void safeHarbor_specificationExamples_leakNoCanary() throws IOException {
        Path examples = SharedData.require("fhir-r4-examples");
        List<Resource> resources = new ArrayList<>();
        for (String type : GRANTED) {
            Path dir = examples.resolve(type);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                        resources.add(parse(Files.readString(file)));
                    }
                }
            }
        }
        assertThat(resources).hasSizeGreaterThan(100);
        assertNoLeak(resources, 3);
    }

    @Test
    void safeHarbor_syntheaBundles_leakNoCanary() throws IOException {
        Path synthea = SharedData.require("synthea-r4");
        List<Resource> resources = new ArrayList<>();
        try (Stream<Path> files = Files.list(synthea)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().limit(6).toList()) {
                Bundle bundle = (Bundle) parse(Files.readString(file));
                bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                        .filter(r -> GRANTED.contains(r.fhirType())).forEach(resources::add);
            }
        }
        assertThat(resources).hasSizeGreaterThan(300);
        // Six bundles and two levels: Synthea's records vary less than the specification's examples, which get
        // three, and the generated records of ExampleSetLeakPropertyTest go five deep.
        assertNoLeak(resources, 2);
    }

    private static void assertNoLeak(List<Resource> resources, int depth) {
        IParser json = FHIR.newJsonParser();
        int permitted = 0;
        for (int i = 0; i < resources.size(); i++) {
            Resource resource = resources.get(i);
            plantCanaries(resource);
            new RecordSaturator(FHIR, i % RecordSaturator.VARIANTS, depth).saturate(resource);
            assertThat(json.encodeResourceToString(resource)).as("canaries planted").contains(CANARY)
                    .contains(RecordSaturator.CANARY_PREFIX);
            Explanation explanation = explainer.explain("research-cohort", "HRESCH", resource, false);
            if (explanation.view().isPresent()) {
                permitted++;
                String what = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
                Resource view = explanation.view().get();
                assertThat(json.encodeResourceToString(view)).as(what).doesNotContain(CANARY)
                        .doesNotContain(RecordSaturator.CANARY_PREFIX);
                ViewChecks.onlyYears(view, what);
                ViewChecks.noAgeOver(view, 89, TODAY, what);
            }
        }
        assertThat(permitted).as("the sweep must actually exercise permits").isEqualTo(resources.size());
    }

    private static Resource parse(String text) {
        IParser parser = FHIR.newJsonParser().setParserErrorHandler(new LenientErrorHandler(false));
        return (Resource) parser.parseResource(text);
    }

    /** Plants a canary in every identifying place the resource type has. */
    static void plantCanaries(Resource resource) {
        DomainResource domain = (DomainResource) resource;
        domain.getText().setStatus(org.hl7.fhir.r4.model.Narrative.NarrativeStatus.GENERATED)
                .setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + CANARY + " narrative</div>");
        domain.addExtension(new Extension("http://example.org/canary", new StringType(CANARY + "-ext")));
        Basic contained = new Basic();
        contained.setId("canary");
        contained.getCode().setText(CANARY + "-contained");
        domain.addContained(contained);
        add(resource, "identifier", Identifier.class, i -> i.setSystem("urn:canary").setValue(CANARY + "-id"));
        add(resource, "name", HumanName.class, n -> n.setFamily(CANARY + "-family").addGiven(CANARY + "-given"));
        add(resource, "telecom", ContactPoint.class, t -> t.setValue(CANARY + "-phone"));
        add(resource, "address", Address.class, a -> a.addLine(CANARY + "-line").setCity(CANARY + "-city")
                .setPostalCode(CANARY + "-zip").setState("MA"));
        add(resource, "note", Annotation.class, n -> n.setText(CANARY + "-note"));
        Base code = resource.getNamedProperty("code") == null ? null
                : resource.getNamedProperty("code").getValues().stream().findFirst().orElse(null);
        if (code instanceof CodeableConcept concept) {
            concept.addExtension(new Extension("http://example.org/canary", new StringType(CANARY + "-nested")));
        }
        for (Reference reference : FHIR.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            reference.setDisplay(CANARY + "-display");
        }
    }

    private static <T extends Base> void add(Resource resource, String name, Class<T> type,
            java.util.function.Consumer<T> fill) {
        if (resource.getNamedProperty(name) != null) {
            Base child = resource.addChild(name);
            if (type.isInstance(child)) {
                fill.accept(type.cast(child));
            }
        }
    }
}
