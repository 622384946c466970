package org.twinbridge.sdk.testing;

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
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Reads FHIR R4 JSON files as a connector would hand them to a node: a single resource, a Bundle (each entry's
 * resource; {@code urn:uuid:} references between entries become {@code Type/id} references, as a FHIR server
 * resolves them on a transaction), or NDJSON (one resource per line). The input files are not modified.
 */
public final class FhirRecords {

    private FhirRecords() {
    }

    /**
     * The resources in the files, file by file, in file order.
     *
     * @throws RecordFileException naming the file (and line, for NDJSON) that cannot be read or parsed
     */
    public static List<Resource> read(FhirContext fhir, List<Path> files) throws RecordFileException {
        List<Resource> all = new ArrayList<>();
        for (Path file : files) {
            all.addAll(read(fhir, file));
        }
        return all;
    }

    /** The resources in one file; see {@link #read(FhirContext, List)}. */
    public static List<Resource> read(FhirContext fhir, Path file) throws RecordFileException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RecordFileException(file + ": cannot read the file (" + e.getClass().getSimpleName() + ")");
        }
        IParser parser = fhir.newJsonParser();
        String trimmed = text.strip();
        if (file.getFileName().toString().endsWith(".ndjson")) {
            List<Resource> resources = new ArrayList<>();
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (!lines[i].isBlank()) {
                    resources.add(parse(parser, lines[i], file + ":" + (i + 1)));
                }
            }
            return resources;
        }
        Resource parsed = parse(parser, trimmed, file.toString());
        return parsed instanceof Bundle bundle ? entries(bundle) : List.of(parsed);
    }

    private static Resource parse(IParser parser, String json, String where) throws RecordFileException {
        try {
            return (Resource) parser.parseResource(json);
        } catch (DataFormatException | ClassCastException e) {
            // HAPI's message can quote the input; say where instead.
            throw new RecordFileException(where + ": not a FHIR R4 JSON resource");
        }
    }

    private static List<Resource> entries(Bundle bundle) {
        Map<String, String> byFullUrl = new HashMap<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.hasResource() && entry.hasFullUrl() && entry.getResource().getIdElement().hasIdPart()) {
                byFullUrl.put(entry.getFullUrl(), entry.getResource().fhirType() + "/" + plainId(entry.getResource()));
            }
        }
        List<Resource> resources = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (!entry.hasResource()) {
                continue;
            }
            Resource copy = entry.getResource().copy();
            if (copy.getIdElement().hasIdPart()) {
                copy.setId(plainId(copy));
            }
            if (!byFullUrl.isEmpty()) {
                referencesOf(copy).forEach(reference -> {
                    String resolved = byFullUrl.get(reference.getReference());
                    if (resolved != null) {
                        reference.setReference(resolved);
                    }
                });
            }
            resources.add(copy);
        }
        return resources;
    }

    /** The parser gives entries the fullUrl as id; a server would keep the logical id, the uuid. */
    private static String plainId(Resource resource) {
        String id = resource.getIdElement().getIdPart();
        return id.startsWith("urn:uuid:") ? id.substring("urn:uuid:".length()) : id;
    }

    private static List<Reference> referencesOf(Resource resource) {
        return FhirContext.forR4Cached().newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class);
    }

    /** A records file that cannot be read or parsed; the message names the file, never its content. */
    public static final class RecordFileException extends Exception {
        private static final long serialVersionUID = 1L;

        public RecordFileException(String message) {
            super(message);
        }
    }
}
