package org.twinbridge.tools.bench;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Resource;

/**
 * The top-level elements the recorders' rules keep, as a bare projection for the yardsticks: the limit loop and
 * the HAPI consent service. It keeps whole top-level elements (the policy engine also prunes below them and
 * pseudonymises references), so it is never more work than the node's projection.
 */
final class AllowList {

    static final Map<String, List<String>> KEEP = Map.of(
            "Observation", List.of("status", "category", "code", "subject", "effective[x]", "value[x]", "component"),
            "Condition", List.of("clinicalStatus", "verificationStatus", "category", "code", "subject", "onset[x]"),
            "MedicationRequest", List.of("status", "intent", "medication[x]", "subject", "authoredOn",
                    "dosageInstruction"));

    private AllowList() {
    }

    /** The allowed elements of a HAPI model resource, copied into a new resource of its type. */
    static Resource project(FhirContext fhir, Resource source) {
        Resource view = (Resource) fhir.getResourceDefinition(source.fhirType()).newInstance();
        view.setId(source.getIdElement().getIdPart());
        for (String name : KEEP.getOrDefault(source.fhirType(), List.of())) {
            Property property = source.getNamedProperty(name);
            if (property != null) {
                for (Base value : property.getValues()) {
                    view.setProperty(name, value.copy());
                }
            }
        }
        return view;
    }

    /** The allowed fields of a FHIR JSON tree, shared (not copied: the tree is never modified). */
    static ObjectNode project(JsonNode source) {
        ObjectNode view = JsonNodeFactory.instance.objectNode();
        String type = source.path("resourceType").asText();
        view.set("resourceType", source.get("resourceType"));
        view.set("id", source.get("id"));
        List<String> keep = KEEP.getOrDefault(type, List.of());
        for (Iterator<Map.Entry<String, JsonNode>> fields = source.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (kept(keep, field.getKey())) {
                view.set(field.getKey(), field.getValue());
            }
        }
        return view;
    }

    private static boolean kept(List<String> keep, String field) {
        for (String name : keep) {
            if (name.endsWith("[x]")) {
                String stem = name.substring(0, name.length() - 3);
                if (field.length() > stem.length() && field.startsWith(stem)
                        && Character.isUpperCase(field.charAt(stem.length()))) {
                    return true;
                }
            } else if (name.equals(field)) {
                return true;
            }
        }
        return false;
    }
}
