package org.twinbridge.consent.io;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * Reads FHIR R4 Consents from files: one JSON resource, a Bundle of them, or NDJSON (one resource a line;
 * files ending in {@code .ndjson}). Patients in the same file are allowed, to say who a consent's literal
 * {@code patient} reference means; any other resource type is an error. Every problem in every file is
 * reported, and nothing is returned unless every file is good.
 */
public final class ConsentFiles {

    private static final long MAX_FILE_BYTES = 64L << 20;
    private final FhirContext fhir;

    public ConsentFiles(FhirContext fhir) {
        this.fhir = fhir;
    }

    /** Reads every file; all or nothing. */
    public List<ConsentInput> read(List<Path> files) throws ConsentInputException {
        List<String> problems = new ArrayList<>();
        List<ConsentInput> inputs = new ArrayList<>();
        for (Path file : files) {
            readOne(file, inputs, problems);
        }
        if (!problems.isEmpty()) {
            throw new ConsentInputException(problems);
        }
        return inputs;
    }

    private void readOne(Path file, List<ConsentInput> inputs, List<String> problems) {
        int problemsBefore = problems.size();
        String text;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                problems.add(file + ": TB-CONSENT-001 file is larger than 64 MiB");
                return;
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(file + ": TB-CONSENT-001 cannot read the file (" + e.getClass().getSimpleName() + ")");
            return;
        }
        IParser parser = fhir.newJsonParser();
        List<Located> resources = new ArrayList<>();
        if (file.getFileName().toString().endsWith(".ndjson")) {
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String location = file + ":" + (i + 1) + ":1";
                if (!lines[i].isBlank()) {
                    parse(parser, lines[i], location, problems)
                            .ifPresent(r -> resources.add(new Located(r, location, null)));
                }
            }
        } else {
            Optional<Resource> parsed = parse(parser, text, file.toString(), problems);
            if (parsed.isPresent() && parsed.get() instanceof Bundle bundle) {
                for (int i = 0; i < bundle.getEntry().size(); i++) {
                    Bundle.BundleEntryComponent entry = bundle.getEntry().get(i);
                    if (entry.hasResource()) {
                        resources.add(new Located(entry.getResource(), file + " entry[" + i + "]",
                                entry.hasFullUrl() ? entry.getFullUrl() : null));
                    }
                }
            } else {
                parsed.ifPresent(r -> resources.add(new Located(r, file.toString(), null)));
            }
        }
        Map<String, Patient> patients = new HashMap<>();
        for (Located located : resources) {
            if (located.resource() instanceof Patient patient) {
                if (located.fullUrl() != null) {
                    patients.put(located.fullUrl(), patient);
                }
                if (patient.getIdElement().hasIdPart()) {
                    patients.put("Patient/" + patient.getIdElement().getIdPart(), patient);
                }
            }
        }
        int before = inputs.size();
        for (Located located : resources) {
            if (located.resource() instanceof Consent consent) {
                String ref = consent.getPatient().getReference();
                inputs.add(new ConsentInput(located.location(), consent,
                        Optional.ofNullable(ref == null ? null : patients.get(ref))));
            } else if (!(located.resource() instanceof Patient)) {
                problems.add(located.location() + ": TB-CONSENT-003 a " + located.resource().fhirType()
                        + " is not a Consent; a consent file holds Consents (and the Patients they refer to)");
            }
        }
        if (inputs.size() == before && problems.size() == problemsBefore) {
            problems.add(file + ": TB-CONSENT-004 the file holds no Consent");
        }
    }

    private static Optional<Resource> parse(IParser parser, String json, String location, List<String> problems) {
        try {
            IBaseResource parsed = parser.parseResource(json);
            if (parsed instanceof Resource resource) {
                return Optional.of(resource);
            }
        } catch (DataFormatException | ClassCastException e) {
            // The parser's message can quote the input; say where, not what.
        }
        problems.add(location + ": TB-CONSENT-002 not a FHIR R4 JSON resource");
        return Optional.empty();
    }

    private record Located(Resource resource, String location, String fullUrl) {
    }
}
