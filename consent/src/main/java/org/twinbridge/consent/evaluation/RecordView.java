package org.twinbridge.consent.evaluation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/** The facts about one record that provisions match on, read once per request. */
final class RecordView {

    /** Elements that say when a record was clinically true, most telling first. */
    private static final List<String> TIME_ELEMENTS = List.of("effective[x]", "onset[x]", "performed[x]",
            "occurrence[x]", "authoredOn", "recordedDate", "issued", "period", "date", "created");
    /** Elements that name who wrote or asserted a record. */
    private static final List<String> AUTHOR_ELEMENTS = List.of("author", "performer", "recorder", "asserter",
            "requester", "enterer");

    final String type;
    final Optional<String> self;
    final List<Coding> codings;
    final Set<String> references;
    final Set<String> authors;
    final List<Coding> securityLabels;
    final Set<String> profiles;
    final Optional<Instant> time;

    private RecordView(String type, Optional<String> self, List<Coding> codings, Set<String> references,
            Set<String> authors, List<Coding> securityLabels, Set<String> profiles, Optional<Instant> time) {
        this.type = type;
        this.self = self;
        this.codings = codings;
        this.references = references;
        this.authors = authors;
        this.securityLabels = securityLabels;
        this.profiles = profiles;
        this.time = time;
    }

    static RecordView of(FhirContext fhir, Resource resource) {
        FhirTerser terser = fhir.newTerser();
        Optional<String> self = resource.getIdElement().hasIdPart()
                ? Optional.of(resource.fhirType() + "/" + resource.getIdElement().getIdPart()) : Optional.empty();
        Set<String> references = new LinkedHashSet<>();
        for (Reference reference : terser.getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            if (reference.hasReference()) {
                references.add(normalise(reference.getReference()));
            }
        }
        Set<String> authors = new LinkedHashSet<>();
        for (String name : AUTHOR_ELEMENTS) {
            for (Base value : values(resource, name)) {
                if (value instanceof Reference ref && ref.hasReference()) {
                    authors.add(normalise(ref.getReference()));
                }
            }
        }
        Set<String> profiles = new LinkedHashSet<>();
        if (resource.hasMeta()) {
            resource.getMeta().getProfile().stream().map(CanonicalType::getValue).forEach(profiles::add);
        }
        return new RecordView(resource.fhirType(), self,
                List.copyOf(terser.getAllPopulatedChildElementsOfType(resource, Coding.class)), Set.copyOf(references),
                Set.copyOf(authors), resource.hasMeta() ? List.copyOf(resource.getMeta().getSecurity()) : List.of(),
                Set.copyOf(profiles), time(resource));
    }

    /** {@code Type/id} without base URL or version; other forms (urn:uuid:, #contained) unchanged. */
    static String normalise(String reference) {
        if (reference.startsWith("urn:") || reference.startsWith("#")) {
            return reference;
        }
        IdType id = new IdType(reference);
        return id.hasResourceType() && id.hasIdPart() ? id.getResourceType() + "/" + id.getIdPart() : reference;
    }

    private static Optional<Instant> time(Resource resource) {
        for (String name : TIME_ELEMENTS) {
            for (Base value : values(resource, name)) {
                if (value instanceof BaseDateTimeType dt && dt.getValue() != null) {
                    return Optional.of(dt.getValue().toInstant());
                }
                if (value instanceof Period period) {
                    if (period.getStart() != null) {
                        return Optional.of(period.getStart().toInstant());
                    }
                    if (period.getEnd() != null) {
                        return Optional.of(period.getEnd().toInstant());
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static List<Base> values(Resource resource, String name) {
        Property property;
        try {
            property = resource.getNamedProperty(name);
        } catch (org.hl7.fhir.exceptions.FHIRException e) {
            return List.of();
        }
        return property == null ? List.of() : property.getValues();
    }
}
