package org.twinbridge.tools.cli;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.consent.model.ConsentSettings;
import org.twinbridge.policy.decision.Decision;
import org.twinbridge.policy.decision.PolicyDecisionPoint;
import org.twinbridge.policy.explain.ConsentCheck;
import org.twinbridge.policy.explain.Explanation;
import org.twinbridge.policy.explain.PolicyExplainer;
import org.twinbridge.policy.load.PolicyException;
import org.twinbridge.policy.model.PolicySet;
import org.twinbridge.policy.model.PurposeOfUse;
import org.twinbridge.runtime.consent.FileConsents;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code policy explain}: the decision, the deciding rules, the obligations and the exact view. */
@Command(name = "explain", description = "Show what a plugin would receive for a record, and why.")
final class ExplainCommand implements Callable<Integer> {

    @Option(names = "--policies", required = true, paramLabel = "DIR", description = "The policy directory.")
    Path policies;

    @Option(names = "--plugin", required = true, paramLabel = "ID", description = "The recipient plugin id.")
    String plugin;

    @Option(names = "--purpose", required = true, paramLabel = "CODE", description = "PurposeOfUse, e.g. TREAT.")
    String purpose;

    @Option(names = "--record", required = true, paramLabel = "FILE",
            description = "A FHIR R4 JSON resource, or a Bundle (each entry is explained).")
    Path record;

    @Option(names = "--consent", paramLabel = "FILE",
            description = "A FHIR Consent of the record's patient (a resource, a Bundle or NDJSON); repeatable. "
                    + "Consulted when the permitting rule requires consent, as a node would; when none applies, the "
                    + "default is deny.")
    List<Path> consents = new ArrayList<>();

    @Option(names = "--actor", paramLabel = "REF",
            description = "A reference the plugin is known by in Consent actors (default Device/<plugin>); "
                    + "repeatable.")
    List<String> actors = new ArrayList<>();

    @Option(names = "--custodian", paramLabel = "REF",
            description = "The organisation holding the record, for Consent actors with the custodian role, "
                    + "e.g. Organization/st-marys.")
    String custodian;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json",
            description = "text (default) or json: one JSON document per input resource.")
    String format;

    @Override
    public Integer call() throws Exception {
        if (!PurposeOfUse.isKnown(purpose)) {
            throw new TwinBridgeCli.BadInputException("TB-POLICY-003 unknown purpose of use '" + purpose
                    + "'; expected an HL7 v3 PurposeOfUse code such as TREAT, HRESCH, HOPERAT, PUBHLTH");
        }
        if (!format.equals("text") && !format.equals("json")) {
            throw new TwinBridgeCli.BadInputException("TB-CLI-001 --format must be text or json");
        }
        FhirContext fhir = FhirContext.forR4Cached();
        PolicySet set;
        try {
            set = PolicyCommand.load(policies);
        } catch (PolicyException e) {
            return PolicyCommand.report(e);
        }
        PolicyExplainer explainer = new PolicyExplainer(fhir, new PolicyDecisionPoint(set), LocalDate.now());
        List<Resource> resources = inputs(fhir);
        ConsentCheck consent = consents.isEmpty()
                ? request -> new ConsentCheck.Outcome(false, "no consent was given (pass --consent FILE)")
                : FileConsents.load(fhir, consents, ConsentSettings.standard(),
                        actors.isEmpty() ? Optional.empty() : Optional.of(Set.copyOf(actors)),
                        Optional.ofNullable(custodian), Clock.systemUTC());
        for (Resource resource : resources) {
            Explanation explanation = explainer.explain(plugin, purpose, resource, consent);
            System.out.println(format.equals("json") ? json(fhir, explanation) : text(fhir, explanation));
        }
        return TwinBridgeCli.OK;
    }

    private List<Resource> inputs(FhirContext fhir) throws TwinBridgeCli.BadInputException {
        Resource parsed;
        try {
            parsed = (Resource) fhir.newJsonParser().parseResource(Files.readString(record));
        } catch (IOException e) {
            throw new TwinBridgeCli.BadInputException("TB-CLI-002 cannot read " + record);
        } catch (DataFormatException | ClassCastException e) {
            throw new TwinBridgeCli.BadInputException("TB-CLI-003 " + record + " is not a FHIR R4 JSON resource");
        }
        if (parsed instanceof Bundle bundle) {
            return bundle.getEntry().stream().filter(Bundle.BundleEntryComponent::hasResource)
                    .map(Bundle.BundleEntryComponent::getResource).toList();
        }
        return List.of(parsed);
    }

    private String text(FhirContext fhir, Explanation e) {
        StringBuilder out = new StringBuilder();
        Decision d = e.finalDecision();
        out.append(e.resourceType()).append(" for ").append(plugin).append(" (").append(purpose).append("): ")
                .append(d.permitted() ? "PERMIT" : "DENY").append('\n');
        out.append("  policy version: ").append(d.policyVersion()).append('\n');
        out.append("  deciding rules: ").append(d.rules().isEmpty() ? "(none: default deny)" : d.rules()).append('\n');
        if (d instanceof Decision.Deny deny) {
            out.append("  reason: ").append(deny.reason()).append('\n');
        }
        e.consent().ifPresent(c -> out.append("  consent: ").append(c).append('\n'));
        out.append("  labels: ").append(e.labels().isEmpty() ? "none" : e.labels()).append('\n');
        e.obligations().forEach(o -> out.append("  obligation: ").append(o).append('\n'));
        e.view().ifPresent(v -> out.append("  the plugin receives (preview pseudonyms, not the node's):\n")
                .append(fhir.newJsonParser().setPrettyPrint(true).encodeResourceToString(v)).append('\n'));
        return out.toString();
    }

    private String json(FhirContext fhir, Explanation e) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode node = mapper.createObjectNode();
        Decision d = e.finalDecision();
        node.put("resourceType", e.resourceType());
        node.put("decision", d.permitted() ? "permit" : "deny");
        if (d instanceof Decision.Deny deny) {
            node.put("reason", deny.reason());
        }
        node.put("policyVersion", d.policyVersion());
        if (e.consent().isPresent()) {
            node.put("consent", e.consent().get());
        } else {
            node.putNull("consent");
        }
        ArrayNode rules = node.putArray("rules");
        d.rules().forEach(rules::add);
        ArrayNode labels = node.putArray("labels");
        e.labels().forEach(labels::add);
        ArrayNode obligations = node.putArray("obligations");
        e.obligations().forEach(obligations::add);
        if (e.view().isPresent()) {
            node.set("view", mapper.readTree(fhir.newJsonParser().encodeResourceToString(e.view().get())));
        } else {
            node.putNull("view");
        }
        return mapper.writeValueAsString(node);
    }
}
