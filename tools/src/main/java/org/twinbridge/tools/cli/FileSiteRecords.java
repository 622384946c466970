package org.twinbridge.tools.cli;

import ca.uhn.fhir.context.FhirContext;
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
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.consent.model.RegisteredConsent;
import org.twinbridge.federation.site.PatientConsents;
import org.twinbridge.federation.site.SiteRecord;

/**
 * A site's records for {@code federation serve}, read once from FHIR files (resources, Bundles, NDJSON): each
 * record keyed by its patient reference, and each Consent filed under its patient. A record naming no patient is
 * left out. Errors name the file, never its content.
 */
record FileSiteRecords(List<SiteRecord> records, Map<String, List<RegisteredConsent>> consents) {

    static FileSiteRecords read(Path dir) throws TwinBridgeCli.BadInputException, IOException {
        IParser json = FhirContext.forR4Cached().newJsonParser();
        List<Resource> resources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = f.getFileName().toString();
                try {
                    if (name.endsWith(".ndjson")) {
                        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                            if (!line.isBlank()) {
                                resources.add((Resource) json.parseResource(line));
                            }
                        }
                    } else if (name.endsWith(".json")) {
                        Resource r = (Resource) json.parseResource(Files.readString(f, StandardCharsets.UTF_8));
                        if (r instanceof Bundle b) {
                            b.getEntry().forEach(e -> resources.add(e.getResource()));
                        } else {
                            resources.add(r);
                        }
                    }
                } catch (RuntimeException e) {
                    throw new TwinBridgeCli.BadInputException("TB-FED-018 " + f + " is not FHIR R4 JSON ("
                            + e.getClass().getSimpleName() + ")");
                }
            }
        }
        List<SiteRecord> records = new ArrayList<>();
        Map<String, List<RegisteredConsent>> consents = new HashMap<>();
        for (Resource r : resources) {
            Optional<String> patient = PatientConsents.patientOf(r);
            if (patient.isEmpty()) {
                continue;
            }
            if (r instanceof Consent c) {
                consents.computeIfAbsent(patient.get(), p -> new ArrayList<>()).add(new RegisteredConsent("file",
                        "Consent/" + c.getIdElement().getIdPart(), 1, c));
            } else {
                records.add(new SiteRecord(patient.get(), r, Set.of()));
            }
        }
        return new FileSiteRecords(records, consents);
    }
}
