package org.twinbridge.connector.support;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.ErrorHandlerAdapter;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * Turns FHIR R4 JSON payloads (a resource, a Bundle, or NDJSON with one of either per line) into resources
 * ready to journal. Bundles are unpacked into their entries' resources, and references between entries by
 * {@code fullUrl} (such as {@code urn:uuid:...} in a transaction) are rewritten to {@code Type/id}, so the
 * patient index can follow them. Unknown elements do not fail a payload: their names (not values) are reported
 * as unmapped, so nothing is dropped silently. Every failure is a {@link PayloadException} whose reason holds
 * no content: parser messages, which can echo values, are never passed on.
 *
 * <p>Thread-safe.
 */
public final class FhirPayloads {

    private static final Pattern HAPI_CODE = Pattern.compile("HAPI-\\d{1,5}");
    private static final Pattern TYPE_NAME = Pattern.compile("[A-Z][A-Za-z]{0,63}");
    private final FhirContext fhir;
    /**
     * The deepest JSON nesting read (objects and arrays). Real FHIR resources, Bundles with contained resources
     * and nested extensions included, stay well under 40; the limit is checked while reading, before any tree or
     * resource exists, so a payload nested 100,000 deep costs a scan, not the parser's stack.
     */
    public static final int MAX_NESTING_DEPTH = 100;
    private final ObjectMapper json = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH).build())
            .build());

    public FhirPayloads(FhirContext fhir) {
        this.fhir = fhir;
    }

    /**
     * What a payload held.
     *
     * @param resources the resources, Bundles unpacked, in payload order
     * @param unmapped  names of elements that could not be mapped, e.g. {@code Observation.foo}
     */
    public record Parsed(List<Resource> resources, List<String> unmapped) {
        public Parsed {
            resources = List.copyOf(resources);
            unmapped = List.copyOf(unmapped);
        }

        /** One record per resource, each carrying the payload's unmapped names. */
        public List<CanonicalRecord> records(String connectorId) {
            return resources.stream().map(r -> new CanonicalRecord(connectorId, sourceId(r), r, unmapped)).toList();
        }
    }

    /** Parses one JSON document holding a FHIR resource or Bundle. */
    public Parsed parseJson(byte[] payload) throws PayloadException {
        Set<String> unmapped = new LinkedHashSet<>();
        List<Resource> resources = unpack(parseResource(readTree(payload, 0), 0, unmapped));
        return new Parsed(resources, List.copyOf(unmapped));
    }

    /** Parses NDJSON: one FHIR resource or Bundle per line; blank lines are ignored. */
    public Parsed parseNdjson(byte[] payload) throws PayloadException {
        Set<String> unmapped = new LinkedHashSet<>();
        List<Resource> resources = new ArrayList<>();
        String[] lines = new String(payload, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.isEmpty()) {
                int lineNumber = i + 1;
                resources.addAll(unpack(parseResource(readTree(line.getBytes(StandardCharsets.UTF_8), lineNumber),
                        lineNumber, unmapped)));
            }
        }
        if (resources.isEmpty()) {
            throw new PayloadException("TB-PAYLOAD-004", "the NDJSON payload holds no resources");
        }
        return new Parsed(resources, List.copyOf(unmapped));
    }

    /** Parses an already-read JSON tree holding a FHIR resource or Bundle, for callers that sniffed the format. */
    public Parsed parseTree(JsonNode tree) throws PayloadException {
        Set<String> unmapped = new LinkedHashSet<>();
        List<Resource> resources = unpack(parseResource(tree, 0, unmapped));
        return new Parsed(resources, List.copyOf(unmapped));
    }

    /**
     * A stable source id: {@code Type/id} when the resource has an id, else {@code Type/sha256:<hash>} of its
     * JSON, so that the same content dropped or sent twice is journalled once.
     */
    public static String sourceId(Resource resource) {
        if (resource.getIdElement().hasIdPart()) {
            return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
        }
        byte[] content = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(resource)
                .getBytes(StandardCharsets.UTF_8);
        return resource.fhirType() + "/sha256:" + sha256(content);
    }

    /** Lower-case hex SHA-256. */
    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** Reads JSON, reporting a syntax error by position only (parser messages quote the offending text). */
    public JsonNode readTree(byte[] payload, int line) throws PayloadException {
        try {
            JsonNode tree = json.readTree(payload);
            if (tree == null || tree.isMissingNode()) {
                throw new PayloadException("TB-PAYLOAD-001", where(line) + "the payload is empty");
            }
            return tree;
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            // Its message quotes only the limits, but is not ours to pass on; the limit is all a sender needs.
            throw new PayloadException("TB-PAYLOAD-005", where(line) + "the JSON is nested deeper than "
                    + MAX_NESTING_DEPTH + " levels, or breaks another reading limit; it is not read");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String position = at == null ? "" : " at line " + (line > 0 ? line : at.getLineNr()) + ", column "
                    + at.getColumnNr();
            throw new PayloadException("TB-PAYLOAD-001", "not valid JSON" + position);
        } catch (IOException e) {
            throw new PayloadException("TB-PAYLOAD-001", where(line) + "not readable as JSON");
        }
    }

    private Resource parseResource(JsonNode tree, int line, Set<String> unmapped) throws PayloadException {
        if (!tree.isObject() || !tree.path("resourceType").isTextual()) {
            throw new PayloadException("TB-PAYLOAD-002", where(line) + "not a FHIR resource: a JSON object with "
                    + "'resourceType' is expected");
        }
        String type = tree.get("resourceType").asText();
        if (!TYPE_NAME.matcher(type).matches() || !fhir.getResourceTypes().contains(type)) {
            throw new PayloadException("TB-PAYLOAD-002", where(line) + "'resourceType' is not a FHIR R4 resource "
                    + "type" + (TYPE_NAME.matcher(type).matches() ? " ('" + type + "')" : ""));
        }
        IParser parser = fhir.newJsonParser().setParserErrorHandler(new Collector(unmapped));
        try {
            return (Resource) parser.parseResource(tree.toString());
        } catch (InvalidValue e) {
            throw new PayloadException("TB-PAYLOAD-003", where(line) + "invalid " + type + ": " + e.getMessage());
        } catch (DataFormatException | ClassCastException e) {
            Matcher code = HAPI_CODE.matcher(String.valueOf(e.getMessage()));
            throw new PayloadException("TB-PAYLOAD-003", where(line) + "not a valid FHIR R4 " + type
                    + (code.find() ? " (" + code.group() + ")" : ""));
        } catch (IndexOutOfBoundsException | IllegalArgumentException | IllegalStateException e) {
            // HAPI's parser has inputs it fails on with a plain runtime exception rather than DataFormatException
            // (an empty property name, found by FhirPayloadsFuzzTest); bad input must still get its documented
            // code, and the exception's message is not passed on since it could quote the payload.
            throw new PayloadException("TB-PAYLOAD-003", where(line) + "not a valid FHIR R4 " + type);
        }
    }

    private static List<Resource> unpack(Resource resource) {
        if (!(resource instanceof Bundle bundle)) {
            return List.of(resource);
        }
        Map<String, String> byFullUrl = new LinkedHashMap<>();
        List<Resource> resources = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource r = entry.getResource();
            if (r == null) {
                continue;
            }
            // HAPI gives an entry without an id its fullUrl as id, urn:uuid:... included; keep the uuid or oid.
            String idValue = r.getIdElement().getValue();
            if (idValue == null && entry.hasFullUrl()) {
                idValue = entry.getFullUrl();
            }
            if (idValue != null && (idValue.startsWith("urn:uuid:") || idValue.startsWith("urn:oid:"))) {
                r.setId(idValue.substring(idValue.indexOf(':', 4) + 1));
            }
            if (entry.hasFullUrl() && r.getIdElement().hasIdPart()) {
                byFullUrl.put(entry.getFullUrl(), r.fhirType() + "/" + r.getIdElement().getIdPart());
            }
            resources.addAll(unpack(r));
        }
        if (!byFullUrl.isEmpty()) {
            for (Resource r : resources) {
                for (Reference ref : FhirContext.forR4Cached().newTerser()
                        .getAllPopulatedChildElementsOfType(r, Reference.class)) {
                    String target = ref.hasReference() ? byFullUrl.get(ref.getReference()) : null;
                    if (target != null) {
                        ref.setReference(target);
                    }
                }
            }
        }
        return resources;
    }

    private static String where(int line) {
        return line > 0 ? "line " + line + ": " : "";
    }

    /** Invalid primitive values fail the payload, reported by element name only (the value may be PHI). */
    private static final class InvalidValue extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidValue(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Collector extends ErrorHandlerAdapter {
        private final Set<String> unmapped;

        Collector(Set<String> unmapped) {
            this.unmapped = unmapped;
        }

        @Override
        public void unknownElement(IParseLocation location, String name) {
            unmapped.add(path(location, name));
        }

        @Override
        public void unknownAttribute(IParseLocation location, String name) {
            unmapped.add(path(location, name));
        }

        @Override
        public void invalidValue(IParseLocation location, String value, String error) {
            throw new InvalidValue("element '" + path(location, "value") + "' has an invalid value");
        }

        private static String path(IParseLocation location, String name) {
            String parent = location == null ? null : location.getParentElementName();
            String safe = name == null ? "?" : name.replaceAll("[^A-Za-z0-9_\\-\\[\\]]", "");
            return (parent == null ? "" : parent.replaceAll("[^A-Za-z0-9_.\\-]", "") + ".") + safe;
        }
    }
}
